import fs from 'node:fs';
import path from 'node:path';
import { specViolations } from '../__testUtils__/specViolations';

/*
 * The frontend's tests render backend responses recorded from the running
 * demo (plugins/delivery/src/__fixtures__/recorded). They are only worth
 * something while they are what this backend answers: each must conform to
 * the route's response schema in openapi.yaml.
 */

// resolved through the workspace, wherever this file sits
const recordedDir = path.join(
  path.dirname(
    require.resolve('@gitops-delivery/backstage-plugin-delivery/package.json'),
  ),
  'src',
  '__fixtures__',
  'recorded',
);

const SCHEMA_OF_ROUTE: Record<string, string> = {
  overview: 'DeliveryOverview',
  metrics: 'MetricsResponse',
  policy: 'PolicyResponse',
  vulnerabilities: 'VulnerabilitiesResponse',
};

const recorded = fs
  .readdirSync(recordedDir)
  .filter(file => file.endsWith('.json'))
  .sort();

describe('recorded backend responses of the frontend tests', () => {
  it('covers every route the recordings name', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(4);
    const routes = new Set(recorded.map(file => file.split('.').at(-2)!));
    expect([...routes].filter(route => !SCHEMA_OF_ROUTE[route])).toEqual([]);
  });

  it.each(recorded)('%s conforms to openapi.yaml', file => {
    const route = file.split('.').at(-2)!;
    const body = JSON.parse(
      fs.readFileSync(path.join(recordedDir, file), 'utf8'),
    );
    expect(
      specViolations(
        { $ref: `#/components/schemas/${SCHEMA_OF_ROUTE[route]}` },
        body,
      ),
    ).toEqual([]);
  });
});
