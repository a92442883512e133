import Ajv from 'ajv';

/**
 * The parts of an Argo CD swagger document (Swagger 2.0, as Argo CD
 * publishes it in `assets/swagger.json`) that the fake checks against.
 *
 * @public
 */
export interface ArgoCdSwagger {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Array<{ in: string; name: string; schema?: unknown }> }
    >
  >;
  definitions: Record<string, unknown>;
}

/** What the fake checks a request against. */
export interface ArgoCdContract {
  /** Throws when the operation is not in the contract. */
  assertOperation(method: string, template: string): void;
  /** A problem with the request's query or body, or undefined. */
  check(
    method: string,
    template: string,
    query: URLSearchParams,
    body: unknown,
  ): string | undefined;
}

/** Builds the checks of a swagger document. */
export function createArgoCdContract(swagger: ArgoCdSwagger): ArgoCdContract {
  const ajv = new Ajv({
    strict: false,
    validateFormats: false,
    allErrors: true,
  });
  ajv.addSchema({ definitions: swagger.definitions }, 'swagger');

  const operation = (method: string, template: string) => {
    const op = swagger.paths[template]?.[method.toLowerCase()];
    if (!op) {
      throw new Error(
        `${method} ${template} is not an operation of the Argo CD API`,
      );
    }
    return op;
  };

  return {
    assertOperation(method, template) {
      operation(method, template);
    },
    check(method, template, query, body) {
      const parameters = operation(method, template).parameters ?? [];
      const allowed = new Set(
        parameters.filter(p => p.in === 'query').map(p => p.name),
      );
      for (const name of new Set(query.keys())) {
        if (!allowed.has(name)) {
          return `query parameter "${name}" is not in the Argo CD API's ${method} ${template}`;
        }
      }
      const bodySchema = parameters.find(p => p.in === 'body')?.schema as
        | { $ref?: string; type?: string }
        | undefined;
      if (!bodySchema) return undefined;
      if (bodySchema.type === 'string') {
        return typeof body === 'string'
          ? undefined
          : `the body of ${method} ${template} must be a JSON string`;
      }
      const ref = bodySchema.$ref?.replace(/^#\//, 'swagger#/');
      const validate = ref ? ajv.getSchema(ref) : undefined;
      if (!validate) return undefined;
      return validate(body)
        ? undefined
        : `the body of ${method} ${template} does not match ${bodySchema.$ref?.replace(
            '#/definitions/',
            '',
          )}: ${ajv.errorsText(validate.errors)}`;
    },
  };
}
