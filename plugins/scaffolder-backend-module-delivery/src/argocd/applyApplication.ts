import { InputError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ArgoCdDesiredApplication as ArgoCdApplication } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { ArgoCdApi } from './argoCdApi';
import {
  buildProject,
  mergeApplication,
  missingProjectPermissions,
} from './desiredState';

/** What happened (or, in a dry run, would happen) to the Application. @public */
export type ApplicationOperation = 'created' | 'updated' | 'unchanged';
/** What happened (or would happen) to the AppProject; `missing` only in a dry run. @public */
export type ProjectOperation = 'reused' | 'created' | 'updated' | 'missing';

/** The context both steps run in. */
export interface ApplyContext {
  client: ArgoCdApi;
  /** `Argo CD instance "<name>"`, for messages. */
  where: string;
  dryRun: boolean;
  logger: Pick<LoggerService, 'info' | 'warn'>;
  /**
   * In a dry run a failed read is reported here instead of failing the run,
   * so the template editor still shows the generated files.
   */
  warnings: string[];
}

async function read<T>(
  ctx: ApplyContext,
  what: string,
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (!ctx.dryRun) throw error;
    const warning = `Dry run: could not read ${what}: ${
      (error as Error).message
    }; a real run needs this call to succeed`;
    ctx.warnings.push(warning);
    ctx.logger.warn(warning);
    return { ok: false };
  }
}

/**
 * Reuses the AppProject, or creates it (when allowed); a project we may
 * manage gets the Application's source and destination added when it does
 * not permit them yet.
 */
export async function ensureProject(
  ctx: ApplyContext,
  projectName: string,
  desired: ArgoCdApplication,
  createProject: boolean,
): Promise<ProjectOperation> {
  const { client, where, dryRun, logger } = ctx;
  const result = await read(ctx, `AppProject "${projectName}"`, () =>
    client.getProject(projectName),
  );
  if (!result.ok) {
    return createProject ? 'created' : 'reused';
  }
  const existing = result.value;
  if (!existing) {
    if (!createProject) {
      const message = `project: AppProject "${projectName}" does not exist on ${where}; choose an existing project or set createProject`;
      if (!dryRun) throw new InputError(message);
      ctx.warnings.push(`Dry run: ${message}`);
      logger.warn(`Dry run: ${message}`);
      return 'missing';
    }
    if (!dryRun) {
      await client.createProject(
        buildProject(
          projectName,
          desired,
          `Created by Backstage for ${desired.metadata.name}`,
        ),
      );
    }
    logger.info(
      `${
        dryRun ? 'Would create' : 'Created'
      } AppProject "${projectName}" on ${where}`,
    );
    return 'created';
  }
  const missing = missingProjectPermissions(existing, desired);
  if (!missing.sourceRepo && !missing.destination) {
    logger.info(`Reusing AppProject "${projectName}" on ${where}`);
    return 'reused';
  }
  const needs = [
    missing.sourceRepo ? `source ${missing.sourceRepo}` : undefined,
    missing.destination
      ? `destination ${
          missing.destination.server ?? missing.destination.name
        } namespace ${missing.destination.namespace}`
      : undefined,
  ]
    .filter(Boolean)
    .join(' and ');
  if (!createProject) {
    // Argo CD rejects the Application with its own message; say why first.
    logger.warn(
      `AppProject "${projectName}" on ${where} does not permit ${needs}; Argo CD may reject the Application`,
    );
    return 'reused';
  }
  if (!dryRun) {
    await client.updateProject({
      ...existing,
      spec: {
        ...existing.spec,
        sourceRepos: [
          ...(existing.spec.sourceRepos ?? []),
          ...(missing.sourceRepo ? [missing.sourceRepo] : []),
        ],
        destinations: [
          ...(existing.spec.destinations ?? []),
          ...(missing.destination ? [missing.destination] : []),
        ],
      },
    });
  }
  logger.info(
    `${
      dryRun ? 'Would let' : 'Let'
    } AppProject "${projectName}" on ${where} permit ${needs}`,
  );
  return 'updated';
}

/** Creates the Application, updates it when it differs, or leaves it alone. */
export async function upsertApplication(
  ctx: ApplyContext,
  desired: ArgoCdApplication,
  projectOperation: ProjectOperation,
): Promise<ApplicationOperation> {
  const { client, where, dryRun, logger } = ctx;
  const name = desired.metadata.name;
  let existing: ArgoCdApplication | undefined;
  // A project that does not exist yet cannot hold the Application.
  if (projectOperation !== 'created' && projectOperation !== 'missing') {
    const result = await read(ctx, `Application "${name}"`, () =>
      client.getApplication(name, desired.spec.project),
    );
    existing = result.ok ? result.value : undefined;
  }
  if (!existing) {
    if (!dryRun) {
      await client.createApplication(desired);
    }
    logger.info(
      `${
        dryRun ? 'Would create' : 'Created'
      } Application "${name}" on ${where}`,
    );
    return 'created';
  }
  const merged = mergeApplication(existing, desired);
  if (!merged) {
    logger.info(`Application "${name}" on ${where} is already as requested`);
    return 'unchanged';
  }
  if (!dryRun) {
    await client.updateApplication(merged);
  }
  logger.info(
    `${dryRun ? 'Would update' : 'Updated'} Application "${name}" on ${where}`,
  );
  return 'updated';
}
