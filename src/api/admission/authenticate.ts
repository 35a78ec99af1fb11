import type { NextFunction, Request, Response } from 'express';
import type { GatewayKeyring, KeyOwner } from './gateway-keys';
import { sendErrorInClientShape } from '../error-shape';

declare module 'express-serve-static-core' {
  interface Request {
    keyOwner?: KeyOwner;
  }
}

function presentedKey(request: Request): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}

/** Rejects a missing or unknown gateway key with a 401 in the error shape of the API called. */
export function authenticate(keyring: GatewayKeyring) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const key = presentedKey(request);
    const owner = key ? keyring.find(key) : undefined;
    if (!owner) {
      sendErrorInClientShape(request, response, 401, {
        message: key
          ? 'Incorrect gateway API key provided.'
          : 'Missing gateway API key: send "Authorization: Bearer <key>" or "x-api-key: <key>".',
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
      return;
    }
    request.keyOwner = owner;
    next();
  };
}
