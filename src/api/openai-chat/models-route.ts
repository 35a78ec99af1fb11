import type { Request, Response } from 'express';
import type { ApiDependencies } from '../api-dependencies';

/** GET /v1/models: the model names (model groups) this key may send, in OpenAI's list shape. */
export function modelsRoute({ getConfig }: ApiDependencies) {
  return (request: Request, response: Response): void => {
    const allowed = request.keyOwner?.modelGroups;
    response.json({
      object: 'list',
      data: getConfig()
        .modelGroups.filter((group) => !allowed || allowed.includes(group.name))
        .map((group) => ({ id: group.name, object: 'model', created: 0, owned_by: 'gateway' })),
    });
  };
}
