import type { Request, Response } from 'express';
import { z } from 'zod';
import { anyInferenceTypeClause } from '../../workflows/inference-types';
import { gatewaySearchAttributes as attributes } from '../../workflows/search-attributes';
import type { ApiDependencies } from '../api-dependencies';
import { sendOpenAIError } from '../openai-chat/openai-error-response';
import { describeZodError } from '../zod-error-message';

/** Filter values go into a visibility query, so they are held to a safe alphabet. */
const queryValue = z.string().regex(/^[\w.:/@-]{1,200}$/, 'use letters, digits and . : / @ _ -');

/** The query of `GET /v1/inferences`. */
export const inferenceListQuerySchema = z.strictObject({
  outcome: queryValue.optional(),
  provider: queryValue.optional(),
  model: queryValue.optional(),
  region: queryValue.optional(),
  traffic_class: queryValue.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/**
 * GET /v1/inferences: the calling tenant's inferences, newest first, listed through Temporal
 * visibility with the gateway's search attributes (`?outcome=&provider=&model=&region=&since=`).
 */
export function inferenceListRoute({ client, temporalDeadlineMs = 5_000 }: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const parsed = inferenceListQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      sendOpenAIError(response, 400, {
        type: 'invalid_request_error',
        code: 'invalid_request',
        ...describeZodError(parsed.error),
      });
      return;
    }
    const filters = parsed.data;
    const clauses = [anyInferenceTypeClause, `${attributes.tenant.name} = '${request.keyOwner?.tenant ?? ''}'`];
    const byAttribute = [
      [attributes.outcome.name, filters.outcome],
      [attributes.provider.name, filters.provider],
      [attributes.model.name, filters.model],
      [attributes.region.name, filters.region],
      [attributes.trafficClass.name, filters.traffic_class],
    ] as const;
    for (const [name, value] of byAttribute) if (value) clauses.push(`${name} = '${value}'`);
    if (filters.since) clauses.push(`StartTime >= '${new Date(filters.since).toISOString()}'`);

    const data: Array<Record<string, string | number | null>> = [];
    await client.withDeadline(Date.now() + temporalDeadlineMs, async () => {
      for await (const execution of client.workflow.list({ query: clauses.join(' AND '), pageSize: filters.limit })) {
        const attribute = <T>(key: Parameters<typeof execution.typedSearchAttributes.get>[0]) =>
          execution.typedSearchAttributes.get(key) as T | undefined;
        data.push({
          id: execution.workflowId,
          status: execution.status.name.toLowerCase(),
          started_at: execution.startTime.toISOString(),
          closed_at: execution.closeTime?.toISOString() ?? null,
          traffic_class: attribute<string>(attributes.trafficClass) ?? null,
          outcome: attribute<string>(attributes.outcome) ?? null,
          provider: attribute<string>(attributes.provider) ?? null,
          model: attribute<string>(attributes.model) ?? null,
          region: attribute<string>(attributes.region) ?? null,
          fallbacks: attribute<number>(attributes.fallbacks) ?? null,
        });
        if (data.length >= filters.limit) break;
      }
    });
    response.json({ object: 'list', data });
  };
}
