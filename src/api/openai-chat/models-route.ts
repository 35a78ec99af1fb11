import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies';

/** The body of `GET /v1/models`. */
export const modelListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        id: z.string().meta({ description: 'A model group name.' }),
        object: z.literal('model'),
        created: z.number().int(),
        owned_by: z.string(),
      }),
    ),
  })
  .meta({ id: 'ModelList' });

/** GET /v1/models: the model names (model groups) this key may send, in OpenAI's list shape. */
export function modelsRoute({ getConfig }: ApiDependencies) {
  return (request: Request, response: Response): void => {
    const allowed = request.keyOwner?.modelGroups;
    const body: z.infer<typeof modelListSchema> = {
      object: 'list',
      data: getConfig()
        .modelGroups.filter((group) => !allowed || allowed.includes(group.name))
        .map((group) => ({ id: group.name, object: 'model', created: 0, owned_by: 'gateway' })),
    };
    response.json(body);
  };
}
