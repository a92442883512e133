/*
 * Runs a template of templates/ through the scaffolder backend's dry-run
 * API (POST /api/scaffolder/v2/dry-run, the template editor's) in a test
 * backend with the real scaffolder plugin and this module.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderGithubModule from '@backstage/plugin-scaffolder-backend-module-github';
import type { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';

/** The repository's templates/ folder. */
export const TEMPLATES_DIR = path.resolve(__dirname, '../../../../templates');

/** Every file below `dir`, relative to it, with `/` separators. */
export function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory()
      ? listFiles(path.join(dir, entry.name), relative)
      : [relative];
  });
}

/** The values the template form would send: each parameter's default, then `values`. */
export function formValues(
  template: any,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const page of [template.spec.parameters].flat()) {
    for (const [key, schema] of Object.entries<any>(page.properties ?? {})) {
      if (schema.default !== undefined) defaults[key] = schema.default;
    }
  }
  return { ...defaults, ...values };
}

/** A generated file from the dry run's response. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** Result of one dry run. */
export interface DryRunResult {
  status: number;
  body: any;
  files: GeneratedFile[];
  log: string[];
}

/** Starts the test backend; returns a function that dry-runs a template folder. */
export async function startDryRunBackend(options: {
  config: JsonObject;
  features: Parameters<typeof startTestBackend>[0]['features'];
}) {
  const { server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderGithubModule,
      ...(options.features ?? []),
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'mock', namespace: 'default' },
            spec: {},
          },
        ],
      }),
      mockServices.rootConfig.factory({ data: options.config }),
    ],
  });

  return async function dryRun(
    templateName: string,
    values: Record<string, unknown>,
  ): Promise<DryRunResult> {
    const dir = path.join(TEMPLATES_DIR, templateName);
    const template = parse(
      fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
    );
    const directoryContents = listFiles(dir).map(file => ({
      path: file,
      base64Content: fs.readFileSync(path.join(dir, file)).toString('base64'),
    }));
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .send({
        template,
        values: formValues(template, values),
        directoryContents,
      });
    return {
      status: res.status,
      body: res.body,
      files: (res.body.directoryContents ?? []).map((f: any) => ({
        path: f.path,
        content: Buffer.from(f.base64Content, 'base64').toString('utf8'),
      })),
      log: (res.body.log ?? []).map((l: any) => String(l.body?.message)),
    };
  };
}
