import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  createArgoCdClient,
  createSecretRedactor,
  readArgoCdConfig,
  type ArgoCdInstanceConfig as ArgoCdInstance,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { argoCdApiOf, type ArgoCdApi } from '../argocd/argoCdApi';
import {
  ApplicationOperation,
  ApplyContext,
  ensureProject,
  ProjectOperation,
  upsertApplication,
} from '../argocd/applyApplication';
import { buildApplication } from '../argocd/desiredState';
import { examples } from './createApplication.examples';
import {
  assertLabels,
  assertPattern,
  DNS_LABEL,
  DNS_SUBDOMAIN,
  GIT_URL,
} from './validation';

/** Input of `delivery:argocd:create-application`. @public */
export type CreateArgoCdApplicationInput = {
  instance: string;
  name: string;
  repoUrl: string;
  path: string;
  destinationNamespace: string;
  project?: string;
  createProject?: boolean;
  targetRevision?: string;
  destinationServer?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /**
   * Full ref of the catalog entity the Application belongs to, written as
   * its `delivery.backstage.io/entity-ref` annotation: what binds it to the
   * entity for the Delivery plugin's actions.
   */
  entityRef?: string;
  autoSync?: boolean;
};

/**
 * Output of `delivery:argocd:create-application`. Named, so the API report
 * does not depend on the order the compiler happens to print union members.
 * @public
 */
export type CreateArgoCdApplicationOutput = {
  instance: string;
  applicationName: string;
  project: string;
  operation: ApplicationOperation;
  projectOperation: ProjectOperation;
  dryRun: boolean;
  warnings: string[];
  url: string;
};

// The Delivery backend's binding annotation (delivery-common's
// APPLICATION_ANNOTATION_ENTITY_REF, a dev-only dependency of this module).
const APPLICATION_ANNOTATION_ENTITY_REF = 'delivery.backstage.io/entity-ref';
// kind:namespace/name, kind and namespace by the catalog's own rules
const ENTITY_REF =
  /^[A-Za-z][A-Za-z0-9]*:(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** The full ref of `entityRef`, lower-cased, `default` namespace added; a kind is required. */
function entityRefOf(value: string): string {
  const ref = value.trim();
  if (!ENTITY_REF.test(ref)) {
    throw new InputError(
      `entityRef: "${value}" is not a full entity ref such as component:default/payments-api`,
    );
  }
  const [kind, rest] = ref.split(':');
  const name = rest.includes('/') ? rest : `default/${rest}`;
  return `${kind}:${name}`.toLocaleLowerCase('en-US');
}

/** Options of {@link createArgoCdApplicationAction}. @public */
export interface CreateArgoCdApplicationActionOptions {
  config: Config;
  /** Builds the Argo CD client of an instance; tests and other transports override it. */
  createClient?: (
    instance: ArgoCdInstance,
    timeoutMs: number,
    signal?: AbortSignal,
  ) => ArgoCdApi;
}

/**
 * `delivery:argocd:create-application`: creates or updates an Argo CD
 * Application on a configured instance, reusing its AppProject or creating
 * one. Idempotent (an unchanged Application is not written) and dry-run
 * aware (reads only, reports what a real run would do).
 *
 * @public
 */
export function createArgoCdApplicationAction(
  options: CreateArgoCdApplicationActionOptions,
): TemplateAction<
  CreateArgoCdApplicationInput,
  CreateArgoCdApplicationOutput,
  'v2'
> {
  // delivery.argocd, or the legacy argocd: block; names checked unique
  const settings = readArgoCdConfig(options.config);
  // delivery-node's Argo CD client, one for every run: it keeps (and
  // renews) the session tokens it obtains, and its redactor knows them.
  const client = createArgoCdClient({
    instances: settings.instances,
    timeoutMs: settings.timeoutMs,
    redactor: createSecretRedactor(),
  });
  const createClient =
    options.createClient ??
    ((instance, _timeoutMs, signal) =>
      argoCdApiOf(client, instance.name, signal));

  return createTemplateAction({
    id: 'delivery:argocd:create-application',
    description:
      'Creates or updates an Argo CD Application on a configured Argo CD instance (delivery.argocd.instances), reusing an existing AppProject or creating one.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        instance: z =>
          z
            .string()
            .min(1)
            .describe(
              'Name of a configured Argo CD instance (delivery.argocd.instances[].name)',
            ),
        name: z =>
          z
            .string()
            .max(253)
            .regex(DNS_SUBDOMAIN)
            .describe('Name of the Application'),
        project: z =>
          z
            .string()
            .max(253)
            .regex(DNS_SUBDOMAIN)
            .optional()
            .describe('AppProject of the Application (default: default)'),
        createProject: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Create the AppProject when it does not exist, and let it permit this source and destination (default: false)',
            ),
        repoUrl: z =>
          z.string().regex(GIT_URL).describe('Git URL of the manifests'),
        path: z =>
          z
            .string()
            .min(1)
            .describe(
              'Path of the manifests (e.g. a Kustomize overlay) in the repository',
            ),
        targetRevision: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe('Branch, tag or commit to track (default: HEAD)'),
        destinationServer: z =>
          z
            .string()
            .url()
            .optional()
            .describe(
              'Kubernetes API URL (default: https://kubernetes.default.svc)',
            ),
        destinationNamespace: z =>
          z
            .string()
            .max(63)
            .regex(DNS_LABEL)
            .describe('Kubernetes namespace to deploy into'),
        labels: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe(
              'Labels of the Application, e.g. app, environment, backstage.io/entity-ref',
            ),
        annotations: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('Annotations of the Application'),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Full ref of the catalog entity the Application belongs to, e.g. component:default/payments-api; written as the annotation delivery.backstage.io/entity-ref, which binds the Application to the entity for rollout actions',
            ),
        autoSync: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Automated sync with prune and self-heal (default: true)',
            ),
      },
      output: {
        instance: z => z.string().describe('The Argo CD instance'),
        applicationName: z => z.string().describe('The Application'),
        project: z => z.string().describe('Its AppProject'),
        operation: z =>
          z
            .enum(['created', 'updated', 'unchanged'])
            .describe(
              'What happened to the Application (or would, in a dry run)',
            ),
        projectOperation: z =>
          z
            .enum(['reused', 'created', 'updated', 'missing'])
            .describe(
              'What happened to the AppProject (or would, in a dry run)',
            ),
        dryRun: z => z.boolean().describe('True when nothing was written'),
        warnings: z =>
          z
            .array(z.string())
            .describe(
              'In a dry run: reads that failed, so the report is partial',
            ),
        url: z =>
          z.string().describe("Link to the Application in Argo CD's UI"),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const instance = settings.instances.find(i => i.name === input.instance);
      if (!instance) {
        const names = settings.instances.map(i => i.name);
        throw new InputError(
          `instance: "${
            input.instance
          }" is not a configured Argo CD instance (configured: ${
            names.length ? names.join(', ') : 'none'
          })`,
        );
      }
      assertPattern(
        'name',
        input.name,
        DNS_SUBDOMAIN,
        'a valid Application name',
      );
      assertPattern(
        'destinationNamespace',
        input.destinationNamespace,
        DNS_LABEL,
        'a valid namespace name',
        63,
      );
      assertPattern('repoUrl', input.repoUrl, GIT_URL, 'a git URL', 2048);
      const projectName = input.project ?? 'default';
      assertPattern(
        'project',
        projectName,
        DNS_SUBDOMAIN,
        'a valid project name',
      );
      const labels = input.labels ?? {};
      assertLabels(labels);

      const desired = buildApplication({
        name: input.name,
        project: projectName,
        repoUrl: input.repoUrl,
        path: input.path,
        targetRevision: input.targetRevision ?? 'HEAD',
        destination: {
          server: input.destinationServer ?? 'https://kubernetes.default.svc',
          namespace: input.destinationNamespace,
        },
        labels,
        annotations: {
          ...input.annotations,
          ...(input.entityRef
            ? {
                [APPLICATION_ANNOTATION_ENTITY_REF]: entityRefOf(
                  input.entityRef,
                ),
              }
            : {}),
        },
        autoSync: input.autoSync ?? true,
      });
      const apply: ApplyContext = {
        client: createClient(instance, settings.timeoutMs, ctx.signal),
        where: `Argo CD instance "${instance.name}"`,
        dryRun: ctx.isDryRun === true,
        logger: ctx.logger,
        warnings: [],
      };
      // Checkpoints make a retried task skip the writes that already happened.
      const projectOperation = await ctx.checkpoint<ProjectOperation>({
        key: `delivery.argocd.project.${instance.name}.${projectName}.${input.name}`,
        fn: () =>
          ensureProject(
            apply,
            projectName,
            desired,
            input.createProject ?? false,
          ),
      });
      const operation = await ctx.checkpoint<ApplicationOperation>({
        key: `delivery.argocd.application.${instance.name}.${input.name}`,
        fn: () => upsertApplication(apply, desired, projectOperation),
      });

      ctx.output('instance', instance.name);
      ctx.output('applicationName', input.name);
      ctx.output('project', projectName);
      ctx.output('operation', operation);
      ctx.output('projectOperation', projectOperation);
      ctx.output('dryRun', apply.dryRun);
      ctx.output('warnings', apply.warnings);
      ctx.output(
        'url',
        `${
          instance.frontendUrl ?? instance.url
        }/applications/${encodeURIComponent(input.name)}`,
      );
    },
  });
}
