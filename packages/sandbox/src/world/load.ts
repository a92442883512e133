import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ServiceScenario,
  VulnerabilitySpec,
  World,
  WorldScenario,
} from './types';

/** The folder of the scenario data files. */
// The sandbox always runs from source (never bundled), so __dirname is right.
// eslint-disable-next-line no-restricted-syntax
export const SCENARIO_DIR = join(__dirname, '..', '..', 'scenarios');

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function readJson<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(SCENARIO_DIR, ...parts), 'utf8')) as T;
}

/** Error for an unknown or malformed scenario (the control endpoint's 400). */
export class ScenarioError extends Error {}

/** Loads the demo world's services. */
export function loadWorld(): World {
  return readJson<World>('world.json');
}

/** Loads the vulnerability profiles. */
export function loadVulnerabilityProfiles(): Record<
  string,
  VulnerabilitySpec[]
> {
  return readJson('vulnerabilities.json');
}

/** Names of the service scenarios (files under scenarios/services). */
export function serviceScenarioNames(): string[] {
  return listJson(join(SCENARIO_DIR, 'services'));
}

/** Names of the whole-world scenarios (files directly under scenarios). */
export function worldScenarioNames(): string[] {
  return listJson(SCENARIO_DIR).filter(
    n => n !== 'world' && n !== 'vulnerabilities',
  );
}

function listJson(dir: string): string[] {
  return readdirSync(dir)
    .filter(f => f.endsWith('.json'))
    .map(f => f.slice(0, -5))
    .sort();
}

/** Loads one service scenario by name. */
export function loadServiceScenario(name: string): ServiceScenario {
  if (
    !NAME.test(name) ||
    !existsSync(join(SCENARIO_DIR, 'services', `${name}.json`))
  ) {
    throw new ScenarioError(
      `Unknown service scenario "${name}"; known: ${serviceScenarioNames().join(
        ', ',
      )}`,
    );
  }
  const s = readJson<ServiceScenario>('services', `${name}.json`);
  if (s.name !== name || !s.metrics?.stable || !s.metrics?.canary) {
    throw new ScenarioError(`Service scenario file "${name}" is malformed`);
  }
  return s;
}

/**
 * Resolves a whole-world selection: a world scenario file, or a service
 * scenario's name, meaning the demo world with that scenario applied to the
 * service it is written for.
 */
export function resolveWorldScenario(name: string): WorldScenario {
  if (!NAME.test(name)) {
    throw new ScenarioError(`Invalid scenario name "${name}"`);
  }
  if (worldScenarioNames().includes(name)) {
    return readJson<WorldScenario>(`${name}.json`);
  }
  if (serviceScenarioNames().includes(name)) {
    const scenario = loadServiceScenario(name);
    const demo = readJson<WorldScenario>('demo.json');
    return {
      name,
      description: scenario.description,
      services: { ...demo.services, [scenario.service]: name },
    };
  }
  throw new ScenarioError(
    `Unknown scenario "${name}"; world scenarios: ${worldScenarioNames().join(
      ', ',
    )}; service scenarios: ${serviceScenarioNames().join(', ')}`,
  );
}
