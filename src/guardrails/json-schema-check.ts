import { Ajv, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ strict: false, allErrors: false });
// A few schemas are reused by many requests; keep the compiled validators, up to a bound.
const validators = new Map<string, ValidateFunction | Error>();
const maxValidators = 200;

function validatorFor(schema: Record<string, unknown>): ValidateFunction | Error {
  const key = JSON.stringify(schema);
  let validator = validators.get(key);
  if (!validator) {
    try {
      validator = ajv.compile(schema);
    } catch (error) {
      validator = error as Error;
    }
    if (validators.size >= maxValidators) validators.delete(validators.keys().next().value!);
    validators.set(key, validator);
  }
  return validator;
}

/**
 * Whether an answer's text is JSON valid against the request's schema; the reason when not (the
 * schema's path, never the answer's values).
 */
export function validateJsonAnswer(
  text: string | null,
  schema: Record<string, unknown>,
): { valid: true } | { valid: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    return { valid: false, reason: 'the answer is not JSON' };
  }
  const validator = validatorFor(schema);
  if (validator instanceof Error) return { valid: false, reason: "the request's JSON schema cannot be compiled" };
  if (validator(value)) return { valid: true };
  const [first] = validator.errors ?? [];
  return {
    valid: false,
    reason: `the answer does not match the JSON schema${first ? ` (${first.schemaPath} ${first.keyword})` : ''}`,
  };
}
