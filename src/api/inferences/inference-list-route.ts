import type { Request, Response } from 'express';
import { z } from 'zod';
import { anyInferenceTypeClause } from '../../workflows/inference-types';
import { gatewaySearchAttributes as attributes } from '../../workflows/search-attributes';
import type { ApiDependencies } from '../api-dependencies';
import { sendOpenAIError } from '../openai-chat/openai-error-response';
import { describeZodError } from '../zod-error-message';
import { cacheHitListItem, cacheHitMatches } from './cache-hit-view';

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
 * visibility with the gateway's search attributes (`?outcome=&provider=&model=&region=&since=`),
 * merged with the tenant's cache hits from the state store (no workflow ran for those).
 */
export function inferenceListRoute({ client, state, temporalDeadlineMs = 5_000 }: ApiDependencies) {
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
    const tenant = request.keyOwner?.tenant ?? '';
    const clauses = [anyInferenceTypeClause, `${attributes.tenant.name} = '${tenant}'`];
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
          model_group: typeof execution.memo?.modelGroup === 'string' ? execution.memo.modelGroup : null,
          cache: null,
          similarity: null,
          source_inference_id: null,
        });
        if (data.length >= filters.limit) break;
      }
    });
    const hits = state
      ? (await state.readCacheHits(tenant, filters.since ? Date.parse(filters.since) : undefined))
          .filter((record) => cacheHitMatches(record, filters))
          .slice(0, filters.limit)
          .map(cacheHitListItem)
      : [];
    response.json({ object: 'list', data: mergeNewestFirst(data, hits).slice(0, filters.limit) });
  };
}

type ListItem = Record<string, string | number | null>;

/**
 * Interleaves the hits (newest first) into the workflows in visibility's order, each hit before
 * the first workflow that started before it; the workflows keep their order. ISO 8601 times in
 * UTC compare as text.
 */
function mergeNewestFirst(workflows: ListItem[], hits: ListItem[]): ListItem[] {
  const merged: ListItem[] = [];
  let next = 0;
  for (const workflow of workflows) {
    while (next < hits.length && String(hits[next]!.started_at) > String(workflow.started_at))
      merged.push(hits[next++]!);
    merged.push(workflow);
  }
  return [...merged, ...hits.slice(next)];
}
