import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An Argo CD Application of the simulated world. */
export interface ScenarioApplication {
  instance: string;
  name: string;
  namespace: string;
  project: string;
  labels: Record<string, string>;
}

/** A scenario: the simulated world's data file. */
export interface Scenario {
  name: string;
  description: string;
  applications: ScenarioApplication[];
}

/** The folder of the scenario data files. */
// The sandbox always runs from source (never bundled), so __dirname is right.
// eslint-disable-next-line no-restricted-syntax
export const SCENARIO_DIR = join(__dirname, '..', 'scenarios');

/** Loads a scenario by name from scenarios/<name>.json. */
export function loadScenario(name: string): Scenario {
  if (!/^[a-z0-9-]+$/.test(name)) {
    throw new Error(`Invalid scenario name "${name}"`);
  }
  return JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.json`), 'utf8'));
}
