import type { ZodError } from 'zod';

type Issue = ZodError['issues'][number];

/**
 * The issue that says what is wrong inside a union: the branch whose type matched (not a bare
 * type mismatch at the union's own path), its unknown field first; a discriminator value no
 * branch has is said so.
 */
function innermost(issue: Issue): Issue {
  if (issue.code !== 'invalid_union') return issue;
  const discriminator = (issue as { discriminator?: string }).discriminator;
  if (issue.errors.length === 0)
    return discriminator ? { ...issue, message: `not a ${discriminator} this field takes` } : issue;
  const matched = issue.errors.filter(
    (branch) => branch.length > 0 && !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
  );
  if (matched.length !== 1) return issue;
  const branch = matched[0]!;
  const inner = branch.find((candidate) => candidate.code === 'unrecognized_keys') ?? branch[0]!;
  return innermost({ ...inner, path: [...issue.path, ...inner.path] } as Issue);
}

/** One readable sentence naming the first bad field, and that field as OpenAI's `param`. */
export function describeZodError(error: ZodError): { message: string; param: string | null } {
  const [found] = error.issues;
  if (!found) return { message: 'Invalid request body', param: null };
  const first = innermost(found);
  const path = first.path.map(String);
  if (first.code === 'unrecognized_keys') {
    const fields = first.keys.map((key) => [...path, key].join('.'));
    return { message: `Unknown field(s): ${fields.join(', ')}`, param: fields[0] ?? null };
  }
  const param = path.length > 0 ? path.join('.') : null;
  return { message: `Invalid value for "${param ?? 'body'}": ${first.message}`, param };
}
