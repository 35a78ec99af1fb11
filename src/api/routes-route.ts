import type { Request, Response } from 'express';
import type { ApiDependencies } from './api-dependencies';
import { sendOpenAIError } from './openai-chat/openai-error-response';
import { routeStatusViews } from './route-status-view';

/** Refuses a caller whose key is not an admin key; true when it may go on. */
export function requireAdmin(request: Request, response: Response, what: string): boolean {
  if (request.keyOwner?.admin) return true;
  sendOpenAIError(response, 403, {
    message: `${what} needs an admin gateway key (admin: true in the config, or the development key).`,
    type: 'permission_error',
    code: 'admin_required',
  });
  return false;
}

/** GET /v1/routes (admin keys): every configured route's circuit, cool-down, windows, latency, last probe and recent errors. */
export function routesRoute({ getConfig, state }: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    if (!requireAdmin(request, response, 'The route status')) return;
    if (!state) {
      sendOpenAIError(response, 503, {
        message: 'This gateway has no state store to read the routes from.',
        type: 'api_error',
        code: 'state_unavailable',
      });
      return;
    }
    response.json({ object: 'list', data: await routeStatusViews(getConfig(), state, Date.now()) });
  };
}
