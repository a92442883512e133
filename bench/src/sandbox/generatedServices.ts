import type { Sandbox } from 'sandbox';

/** Name of the n-th generated benchmark service (and of its catalog entity). */
export function generatedServiceName(index: number): string {
  return `bench-${String(index).padStart(2, '0')}`;
}

/**
 * Adds `count` copies of the demo's checkout service to the sandbox world
 * (dev, staging, production with a canary Rollout, each on instance `main`,
 * labelled `app=<name>`), so that 50 different entities read 50 different
 * sets of Applications, resource trees and Rollouts instead of one cache entry.
 */
export function addGeneratedServices(sandbox: Sandbox, count: number): void {
  const world = sandbox.world;
  const template = world.services.find(s => s.name === 'checkout');
  if (!template) {
    throw new Error('The sandbox world has no checkout service to copy');
  }
  for (let i = 0; i < count; i++) {
    const name = generatedServiceName(i);
    if (world.services.some(s => s.name === name)) continue;
    world.services.push({
      ...template,
      name,
      namespace: name,
      repository: `acme/${name}`,
      image: `ghcr.io/acme/${name}`,
      environments: template.environments.map(e => ({ ...e })),
      scenario: 'healthy-canary',
    });
    world.selectService(name, 'healthy-canary');
  }
}
