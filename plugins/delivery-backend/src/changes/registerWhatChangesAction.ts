import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { checkEntityRefParts } from '../schema/apiRouter';
import type { ChangesService } from './ChangesService';
import { CHANGE_SELECTOR_PATTERN } from './resolveSide';

/**
 * Offers "what does this promotion change?" through Backstage's actions
 * registry, next to `delivery:can-promote`, so CI jobs and chat tools get
 * the same answer as the promote dialog.
 */
export function registerWhatChangesAction(
  actionsRegistry: ActionsRegistryService,
  changes: ChangesService,
): void {
  const selector = (z: any, what: string) =>
    z
      .string()
      .max(300)
      .regex(
        CHANGE_SELECTOR_PATTERN,
        'environment[/[instance:]application][@historyId]',
      )
      .describe(what);
  const counts = (z: any) =>
    z.object({
      CRITICAL: z.number(),
      HIGH: z.number(),
      MEDIUM: z.number(),
      LOW: z.number(),
      UNKNOWN: z.number(),
    });
  actionsRegistry.register({
    name: 'what-changes',
    title: 'What does a promotion change?',
    description:
      "What `to` gets if it takes `from`'s revision: the commits between the two revisions (with pull requests), the images that change (tag and digest), the vulnerability delta of those images and the manifest diff. Each part says whether it could be read. Read-only.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('Entity reference, e.g. component:default/checkout'),
          from: selector(
            z,
            'What would be promoted: an environment (staging), one of its history entries (staging@12), or one of its Applications (staging/checkout-eu, staging/checkout-eu@12; staging/eu:checkout where two Argo CD instances have an Application of that name). An environment with several Applications must name one unless they are all at the same revision.',
          ),
          to: selector(
            z,
            'Where: an environment (production), one of its history entries (production@11), or one of its Applications (production/checkout-eu, production/checkout-eu@11). Comparing two history entries of one Application: from is the later entry, to the earlier one.',
          ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          commits: z.object({
            state: z.string(),
            error: z.string().optional(),
            compareUrl: z.string().optional(),
            items: z.array(
              z.object({
                sha: z.string(),
                message: z.string(),
                author: z.string().optional(),
                url: z.string().optional(),
                pullRequest: z
                  .object({ number: z.number(), url: z.string() })
                  .optional(),
              }),
            ),
          }),
          images: z.array(
            z.object({
              repository: z.string(),
              before: z.string().optional(),
              after: z.string().optional(),
            }),
          ),
          vulnerabilities: z.object({
            state: z.string(),
            error: z.string().optional(),
            before: counts(z),
            after: counts(z),
            introduced: z.array(z.string()),
            fixed: z.array(z.string()),
          }),
          manifests: z.object({
            state: z.string(),
            error: z.string().optional(),
            resources: z.array(
              z.object({
                resource: z.string(),
                change: z.string(),
                fields: z.array(z.string()),
              }),
            ),
          }),
        }),
    },
    examples: [
      {
        title: 'What promoting checkout from staging to production changes',
        input: {
          entityRef: 'component:default/checkout',
          from: 'staging',
          to: 'production',
        },
      },
    ],
    async action({ input, credentials }) {
      let ref;
      try {
        ref = parseEntityRef(input.entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        });
      } catch (error) {
        throw new InputError(`Invalid entityRef: ${(error as Error).message}`);
      }
      const r = await changes.getChanges(
        checkEntityRefParts(ref),
        credentials,
        { from: input.from, to: input.to },
      );
      const finding = (f: { id: string; packageName: string }) =>
        `${f.id} (${f.packageName})`;
      return {
        output: {
          entityRef: r.entityRef,
          commits: {
            state: r.commits.state,
            error: r.commits.error,
            compareUrl: r.commits.compareUrl,
            items: r.commits.items.map(c => ({
              sha: c.sha,
              message: c.message,
              author: c.author,
              url: c.url,
              pullRequest: c.pullRequest,
            })),
          },
          images: r.images.map(i => ({
            repository: i.repository,
            before: i.before?.reference,
            after: i.after?.reference,
          })),
          vulnerabilities: {
            state: r.vulnerabilities.state,
            error: r.vulnerabilities.error,
            before: r.vulnerabilities.before,
            after: r.vulnerabilities.after,
            introduced: r.vulnerabilities.introduced.map(finding),
            fixed: r.vulnerabilities.fixed.map(finding),
          },
          manifests: {
            state: r.manifests.state,
            error: r.manifests.error,
            resources: r.manifests.resources.map(m => ({
              resource: `${m.kind} ${m.namespace ? `${m.namespace}/` : ''}${
                m.name
              }`,
              change: m.change,
              fields: m.changes.map(c => c.path),
            })),
          },
        },
      };
    },
  });
}
