import { ConfigReader } from '@backstage/config';
import { readPolicyConfig } from '@gitops-delivery/backstage-plugin-delivery-node';
import { selectPolicy } from './selectPolicy';

function read(delivery: object) {
  return readPolicyConfig(new ConfigReader({ delivery }));
}

describe('selectPolicy', () => {
  const config = read({
    policies: { relaxed: { gates: [{ kind: 'in-sync' }] } },
  });

  it('uses the default policy when the entity names none', () => {
    expect(selectPolicy(config, undefined).policy?.name).toBe('default');
  });

  it('uses the configured policy the annotation names', () => {
    expect(selectPolicy(config, 'relaxed').policy?.name).toBe('relaxed');
  });

  it('refuses a policy name that is not configured', () => {
    const selection = selectPolicy(config, 'lenient');
    expect(selection.policy).toBeUndefined();
    expect(selection).toMatchObject({
      requested: 'lenient',
      error: expect.stringContaining('not a configured policy'),
    });
  });
});
