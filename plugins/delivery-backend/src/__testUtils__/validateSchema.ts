import { specViolations } from './specViolations';

/**
 * @deprecated Use specViolations: responses are validated with Ajv against
 * the generated spec. Kept only for the callers not moved yet; `doc` is
 * ignored, the spec is always schema/openapi.yaml.
 */
export function validateSchema(
  _doc: unknown,
  schema: object,
  value: unknown,
): string[] {
  return specViolations(schema, value);
}
