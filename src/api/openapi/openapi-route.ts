import type { Request, Response } from 'express';
import { gatewayOpenApiDocument } from './gateway-openapi-document';

/** GET /openapi.json: the description of this API, built once, on the first call. */
export function openApiRoute() {
  let document: string | undefined;
  return (_request: Request, response: Response): void => {
    document ??= JSON.stringify(gatewayOpenApiDocument());
    response.type('json').send(document);
  };
}
