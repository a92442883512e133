/*
 * The OpenAPI validator (express-openapi-validator, through
 * backend-openapi-utils) words its errors as JSON Schema paths:
 * `request/query/environment must match pattern "^...$"`. Ours name the
 * parameter or field first, as the routes always did:
 * `Invalid environment: must be an environment name (^...$)`.
 */

// What a pattern of the spec means, for the ones a person meets most.
const PATTERN_MEANING: Record<string, string> = {
  '\\S': 'must not be blank',
  '^[0-9]{1,7}[smhd]?$': 'must be a duration such as 15m, 1h, 6h or 7d',
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$':
    'must be an environment name (lower-case letters, digits and -)',
  '^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$':
    'must be an environment name (letters, digits, -, _ and .)',
  '^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$':
    'must be a Rollout name (lower-case letters, digits, - and .)',
  '^[A-Za-z0-9_.:-]+$': 'may contain letters, digits and _ . : - only',
  '^[A-Za-z0-9_-]+$': 'must be a cursor from a previous page',
  '^[a-zA-Z][a-zA-Z0-9]*$': 'must be a valid kind',
  '^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$': 'must be a valid namespace',
  '^[a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$': 'must be a valid name',
};

function reword(problem: string): string {
  const pattern = /^must match pattern "(.*)"$/.exec(problem);
  if (pattern) {
    const meaning = PATTERN_MEANING[pattern[1]];
    return meaning ? `${meaning}` : `must match the pattern ${pattern[1]}`;
  }
  return problem
    .replace(/^must be equal to one of the allowed values:/, 'must be one of')
    .replace(
      /^must NOT have fewer than (\d+) characters$/,
      'must be at least $1 characters',
    )
    .replace(
      /^must NOT have more than (\d+) characters$/,
      'must be at most $1 characters',
    );
}

function one(error: string, unknownFields: string[]): string {
  const reserved = /^Parameter '(.*)' must be url encoded/.exec(error);
  if (reserved) {
    return `Invalid ${reserved[1]}: must not contain reserved characters (such as ! * ' ( ) ; : @ & = + $ , / ? # [ ])`;
  }
  const unknownParameter = /^Unknown query parameter '(.*)'$/.exec(error);
  if (unknownParameter) {
    return `Invalid query: unknown parameter(s) ${unknownParameter[1]}`;
  }
  const match = /^request\/(body|query|params|path|headers)(\/\S+)? (.*)$/.exec(
    error,
  );
  if (!match) return error;
  const [, place, at, problem] = match;
  const required = /^must have required property '(.*)'$/.exec(problem);
  if (required) return `Invalid ${required[1]}: is required`;
  if (!at) {
    if (problem === 'must NOT have additional properties') {
      return `Invalid ${place}: unknown field(s) ${unknownFields.join(', ')}`;
    }
    if (problem === 'must be object') {
      return `Invalid ${place}: must be a JSON object`;
    }
    return `Invalid ${place}: ${reword(problem)}`;
  }
  const field = at.slice(1).split('/').join('.');
  return `Invalid ${field}: ${reword(problem)}`;
}

/**
 * Rewords a request validation message; `unknownFields` are the body's
 * fields the spec does not name (the validator's message leaves them out).
 */
export function validationMessage(
  message: string,
  unknownFields: string[] = [],
): string {
  return message
    .split(/, (?=request\/|Unknown query parameter)/)
    .map(error => one(error, unknownFields))
    .join('; ');
}
