/**
 * A small validator for the OpenAPI 3.0 schema subset our documents use
 * ($ref, type, nullable, anyOf, required, properties, items, enum, pattern,
 * minLength, maxLength, minimum, maximum).
 * Returns one message per violation; empty when the value conforms.
 */
export function validateSchema(
  doc: any,
  schema: any,
  value: unknown,
  at = '$',
): string[] {
  if (schema.$ref) {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((o: any, k: string) => o?.[k], doc);
    if (!target) return [`${at}: unresolved ${schema.$ref}`];
    return validateSchema(doc, target, value, at);
  }
  if (value === null && schema.nullable) return [];
  if (schema.anyOf) {
    const fits = schema.anyOf.some(
      (alternative: any) =>
        validateSchema(doc, alternative, value, at).length === 0,
    );
    if (!fits) return [`${at}: matches none of the anyOf alternatives`];
  }
  const errors: string[] = [];
  const type = schema.type;
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return [`${at}: expected an object`];
    }
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in record)) errors.push(`${at}.${key}: required`);
    }
    for (const [key, sub] of Object.entries<any>(schema.properties ?? {})) {
      if (record[key] !== undefined) {
        errors.push(...validateSchema(doc, sub, record[key], `${at}.${key}`));
      }
    }
    if (schema.properties && !schema.additionalProperties) {
      for (const key of Object.keys(record)) {
        if (!(key in schema.properties) && schema.properties) {
          errors.push(`${at}.${key}: not in the schema`);
        }
      }
    }
  } else if (type === 'array') {
    if (!Array.isArray(value)) return [`${at}: expected an array`];
    value.forEach((item, i) =>
      errors.push(
        ...validateSchema(doc, schema.items ?? {}, item, `${at}[${i}]`),
      ),
    );
  } else if (type === 'string') {
    if (typeof value !== 'string') return [`${at}: expected a string`];
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
      errors.push(`${at}: does not match ${schema.pattern}`);
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      errors.push(`${at}: shorter than ${schema.minLength}`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      errors.push(`${at}: longer than ${schema.maxLength}`);
    }
  } else if (type === 'number' || type === 'integer') {
    if (typeof value !== 'number') return [`${at}: expected a number`];
    if (type === 'integer' && !Number.isInteger(value)) {
      errors.push(`${at}: expected an integer`);
    }
    if (schema.minimum !== undefined && value < schema.minimum) {
      errors.push(`${at}: below ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      errors.push(`${at}: above ${schema.maximum}`);
    }
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') return [`${at}: expected a boolean`];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum}`);
  }
  return errors;
}
