import type { ZodError } from 'zod';

/** One readable sentence naming the first bad field, and that field as OpenAI's `param`. */
export function describeZodError(error: ZodError): { message: string; param: string | null } {
  const [first] = error.issues;
  if (!first) return { message: 'Invalid request body', param: null };
  const path = first.path.map(String);
  if (first.code === 'unrecognized_keys') {
    const fields = first.keys.map((key) => [...path, key].join('.'));
    return { message: `Unknown field(s): ${fields.join(', ')}`, param: fields[0] ?? null };
  }
  const param = path.length > 0 ? path.join('.') : null;
  return { message: `Invalid value for "${param ?? 'body'}": ${first.message}`, param };
}
