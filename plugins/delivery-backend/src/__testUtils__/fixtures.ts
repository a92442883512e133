import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';

// The repo is always checked out with `shared/` beside its root.
const SHARED = path.resolve(__dirname, '../../../../../shared');

/** Reads a JSON fixture from ../shared/fixtures (a fresh copy each time). */
export function jsonFixture<T = any>(relative: string): T {
  return JSON.parse(
    fs.readFileSync(path.join(SHARED, 'fixtures', relative), 'utf8'),
  );
}

/** Reads a YAML fixture from ../shared/fixtures (a fresh copy each time). */
export function yamlFixture<T = any>(relative: string): T {
  return parse(
    fs.readFileSync(path.join(SHARED, 'fixtures', relative), 'utf8'),
  );
}

/** The Argo CD v3.5.1 swagger contract. */
export function argocdSwagger(): any {
  return JSON.parse(
    fs.readFileSync(
      path.join(SHARED, 'contracts', 'argocd-swagger.json'),
      'utf8',
    ),
  );
}
