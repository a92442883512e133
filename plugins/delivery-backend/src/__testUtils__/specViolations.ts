import Ajv, { type ErrorObject } from 'ajv';
import { spec } from '../schema/openapi/generated';

/*
 * Response validation for tests: Ajv over the schemas of the one spec
 * (schema/openapi.yaml, as generated into schema/openapi/generated). Tests
 * hold responses to more than JSON Schema does: an object may carry only the
 * properties its schema names, unless the schema says
 * `additionalProperties`, so a field the spec forgot fails a test instead of
 * reaching the frontend undocumented.
 */

function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as object).map(([k, v]) => [k, closed(v)]),
          )
        : closed(value);
  }
  if (copy.properties && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
ajv.addSchema({ components: closed(spec.components) }, 'spec');

const format = (error: ErrorObject) => {
  const at = `$${error.instancePath
    .replace(/\/(\d+)/g, '[$1]')
    .replace(/\//g, '.')}`;
  if (error.keyword === 'required') {
    return `${at}.${error.params.missingProperty}: required`;
  }
  if (error.keyword === 'additionalProperties') {
    return `${at}.${error.params.additionalProperty}: not in the schema`;
  }
  if (error.keyword === 'anyOf') {
    return `${at}: matches none of the anyOf alternatives`;
  }
  if (error.keyword === 'enum') {
    return `${at}: ${JSON.stringify(error.data)} is not one of ${
      error.params.allowedValues
    }`;
  }
  return `${at}: ${error.message}`;
};

/**
 * How `value` breaks `schema` (a schema of the spec or a `$ref` into its
 * components, or a component's name); empty when it conforms.
 */
export function specViolations(schema: object | string, value: unknown) {
  const target =
    typeof schema === 'string'
      ? { $ref: `spec#/components/schemas/${schema}` }
      : rebase(schema);
  const validate = ajv.compile(target as object);
  if (validate(value)) return [];
  // an alternative's own complaint says less than "none matched"
  return (validate.errors ?? [])
    .filter(e => !/\/anyOf\/\d+\//.test(e.schemaPath))
    .map(format);
}

// a schema taken out of the spec, with its $refs pointing into the spec
function rebase(schema: object): unknown {
  return JSON.parse(
    JSON.stringify(closed(schema)).replace(
      /"#\/components\//g,
      '"spec#/components/',
    ),
  );
}
