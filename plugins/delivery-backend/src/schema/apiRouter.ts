import type { TypedRouter } from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import {
  createOpenApiRouter,
  spec,
  type EndpointMap,
} from './openapi/generated';
import { validationMessage } from './validationMessage';

/** A router whose handlers are typed by the spec's EndpointMap. */
export type DeliveryApiRouter = TypedRouter<EndpointMap>;

/**
 * The one router that every route of the plugin sits behind: it parses JSON
 * bodies (64 kB at most) and validates each request to a documented route
 * against schema/openapi.yaml, so a handler only ever sees input the spec
 * allows. A request the spec refuses gets a 400 that names the parameter or
 * field, e.g. `Invalid environment: must match ^[a-z0-9]...$`.
 */
export async function createApiRouter(): Promise<DeliveryApiRouter> {
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '64kb' })],
    // unknown query parameters are ignored, as they always were, except
    // where an operation says otherwise (x-eov-allow-unknown-query-parameters)
    validatorOptions: {
      validateRequests: {
        coerceTypes: false,
        allowUnknownQueryParameters: true,
      },
    },
  });
  router.use(
    (
      error: unknown,
      req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      if (error instanceof InputError) {
        next(
          new InputError(
            validationMessage(error.message, unknownBodyFields(req)),
          ),
        );
      } else {
        next(error);
      }
    },
  );
  return router;
}

// The body's fields that the operation's body schema does not name.
function unknownBodyFields(req: express.Request): string[] {
  const operation = (req as { openapi?: { schema?: any } }).openapi?.schema;
  let schema = operation?.requestBody?.content?.['application/json']?.schema;
  if (typeof schema?.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    schema = (spec.components.schemas as Record<string, any>)[name];
  }
  const known = Object.keys(schema?.properties ?? {});
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [];
  }
  return Object.keys(body).filter(key => !known.includes(key));
}

/**
 * A sub-router for some of the routes, typed by the spec. Mount it on the
 * router of createApiRouter, which validates the requests.
 */
export function createRoutes(): DeliveryApiRouter {
  return Router() as DeliveryApiRouter;
}

/**
 * Checks an entity reference given outside a route (the actions registry)
 * against the spec's path parameters, as a request would be.
 */
export function checkEntityRefParts(ref: {
  namespace: string;
  kind: string;
  name: string;
}): { namespace: string; kind: string; name: string } {
  for (const part of ['namespace', 'kind', 'name'] as const) {
    const schema: { pattern: string; maxLength?: number } =
      spec.components.parameters[part].schema;
    const value = ref[part];
    if (
      !new RegExp(schema.pattern).test(value) ||
      (schema.maxLength !== undefined && value.length > schema.maxLength)
    ) {
      throw new InputError(
        `Invalid ${part}: must match ${schema.pattern}${
          schema.maxLength ? ` (at most ${schema.maxLength} characters)` : ''
        }`,
      );
    }
  }
  return { namespace: ref.namespace, kind: ref.kind, name: ref.name };
}
