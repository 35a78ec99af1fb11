import type { Request, Response } from 'express';
import type { ApiDependencies } from './api-dependencies';

/** GET /v1/models: the model names (model groups) a client may send, in OpenAI's list shape. */
export function modelsRoute({ getConfig }: ApiDependencies) {
  return (_request: Request, response: Response): void => {
    response.json({
      object: 'list',
      data: getConfig().modelGroups.map((group) => ({ id: group.name, object: 'model', created: 0, owned_by: 'gateway' })),
    });
  };
}
