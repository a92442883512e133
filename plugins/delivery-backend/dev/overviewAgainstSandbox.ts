/*
 * Prints the overview of every demo entity (examples/entities.yaml) as the
 * backend computes it, against a running sandbox:
 *
 *   SANDBOX_URL=http://127.0.0.1:17171 \
 *     node --require @backstage/cli/config/nodeTransform.cjs dev/overviewAgainstSandbox.ts [rounds] [seconds]
 *
 * With rounds > 1 it prints the production rollouts every `seconds`, so
 * that a canary can be watched moving step by step.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { readDeliveryAnnotations } from '@gitops-delivery/backstage-plugin-delivery-common';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { memoryCache } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import {
  createCoalescingCache,
  createArgoCdClient,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { readDeliveryConfig } from '../src/config/readDeliveryConfig';
import { createOverviewService } from '../src/services/overview/OverviewService';

const sandbox = process.env.SANDBOX_URL ?? 'http://127.0.0.1:7171';
const rounds = Number(process.argv[2] ?? 1);
const pauseSeconds = Number(process.argv[3] ?? 10);

async function main() {
  const entities = parseAllDocuments(
    fs.readFileSync(
      path.resolve(__dirname, '../../../examples/entities.yaml'),
      'utf8',
    ),
  )
    .map(d => d.toJS() as Entity)
    .filter(e => e?.kind === 'Component');
  const config = readDeliveryConfig(
    new ConfigReader({
      delivery: {
        argocd: {
          instances: [
            {
              name: 'main',
              url: `${sandbox}/argocd/main`,
              token: 'sandbox-demo-token',
            },
            {
              name: 'nonprod',
              url: `${sandbox}/argocd/nonprod`,
              username: 'admin',
              password: 'sandbox-password',
            },
          ],
        },
        cache: { ttlSeconds: 0 },
      },
    }),
  );
  const logger: LoggerService = {
    error: m => console.error(`[error] ${m}`),
    warn: m => console.error(`[warn] ${m}`),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  const argocd = createArgoCdClient({
    instances: config.argocd.instances,
    timeoutMs: config.argocd.timeoutMs,
    cache: createCoalescingCache(memoryCache()),
    liveTtlMs: 0,
    revisionMetadataTtlMs: 0,
    logger,
  });
  const overviewService = createOverviewService({
    config,
    argocd,
    logger,
    entityResolver: {
      async resolve(ref) {
        const entity = entities.find(e => e.metadata.name === ref.name)!;
        return {
          entity,
          entityRef: `component:default/${ref.name}`,
          ...readDeliveryAnnotations(entity),
        };
      },
    },
  });
  const credentials = {} as any;
  for (let round = 0; round < rounds; round++) {
    for (const entity of entities) {
      const o = await overviewService.getOverview(
        { namespace: 'default', kind: 'component', name: entity.metadata.name },
        credentials,
      );
      console.log(
        `\n== ${o.entityRef}  sources: ${o.sources
          .map(
            s =>
              `${s.source}${s.instance ? `/${s.instance}` : ''}=${s.status}${
                s.message ? ` (${s.message})` : ''
              }`,
          )
          .join(', ')}`,
      );
      if (o.warnings.length)
        console.log(`   warnings: ${o.warnings.join(' | ')}`);
      for (const env of o.environments) {
        console.log(
          `   ${env.name}: ${env.applications
            .map(
              a =>
                `${a.instance}/${a.name} ${a.sync.status}/${a.health.status} ${
                  a.sourceType
                } images=${a.images.join(',')}`,
            )
            .join('; ')}`,
        );
        console.log(
          `     stages: ${env.stages
            .map(s => `${s.name}=${s.status}`)
            .join(' ')}`,
        );
        for (const r of env.rollouts) {
          console.log(
            `     rollout ${r.namespace}/${r.name} ${r.strategy} phase=${
              r.phase
            } step=${r.currentStepIndex}/${r.steps.length} canary=${
              r.canaryWeight
            }% pause=${
              r.pause
                ? `${r.pause.reason}${
                    r.pause.remainingSeconds !== undefined
                      ? ` ${r.pause.remainingSeconds}s left`
                      : ''
                  }`
                : '-'
            } aborted=${r.aborted} canary=${r.canaryImages.join(
              ',',
            )} stable=${r.stableImages.join(',')} analysis=${
              r.analysisRuns.map(a => `${a.name}:${a.phase}`).join(',') || '-'
            } actions=${r.actions
              .filter(a => !a.disabled)
              .map(a => a.name)
              .join(',')}`,
          );
        }
      }
    }
    if (round < rounds - 1) {
      await new Promise(r => setTimeout(r, pauseSeconds * 1000));
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
