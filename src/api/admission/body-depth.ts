import type { NextFunction, Request, Response } from 'express';
import { sendErrorInClientShape } from '../error-shape';

/**
 * The deepest nesting of arrays and objects a request body may have. Real requests (tool schemas
 * included) nest a few dozen levels at most; a body nesting thousands would exhaust the stack of
 * every later step that walks it (validation, the token estimate, serialization).
 * @default 64
 */
export const maximumBodyDepth = 64;

/** How deep `value` nests, counted without recursion and stopping once it passes `limit`. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** Refuses a parsed body that nests deeper than `maximumBodyDepth`, in the error shape of the API called. */
export function limitBodyDepth(request: Request, response: Response, next: NextFunction): void {
  if (nestingDepth(request.body, maximumBodyDepth) <= maximumBodyDepth) {
    next();
    return;
  }
  sendErrorInClientShape(request, response, 400, {
    message: `The request body nests arrays or objects deeper than ${maximumBodyDepth} levels.`,
    type: 'invalid_request_error',
    code: 'invalid_request',
  });
}
