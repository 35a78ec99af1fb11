import type { Request, Response } from 'express';
import { z } from 'zod';
import { usagePeriod } from '../state/budget-periods';
import type { UsageRow } from '../state/tenant-state-store';
import type { ApiDependencies } from './api-dependencies';
import { sendOpenAIError } from './openai-chat/openai-error-response';
import { describeZodError } from './zod-error-message';

/** The query of `GET /v1/usage`. */
export const usageQuerySchema = z.strictObject({
  /** Calendar month (UTC), such as 2026-11; the current one when omitted. */
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2026-11')
    .optional(),
  /** Admin keys only: one tenant instead of all. */
  tenant: z.string().min(1).optional(),
});

const totalsSchema = z.object({
  requests: z.number().int(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  cost: z.number(),
  fallbacks: z.number().int(),
  cache_hits: z.number().int(),
  saved_tokens: z.number().int(),
  saved_cost: z.number(),
});
type Totals = z.infer<typeof totalsSchema>;

/** The body of `GET /v1/usage`. */
export const usageReportSchema = z
  .object({
    object: z.literal('usage'),
    period: z.string().meta({ example: '2026-11' }),
    tenants: z.array(
      totalsSchema.extend({
        tenant: z.string(),
        by_model: z.array(totalsSchema.extend({ model: z.string() })),
        by_feature: z.array(
          totalsSchema.extend({
            feature: z.string().meta({ description: 'The x-feature tag; "" for untagged requests.' }),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'UsageReport' });

function totalsOf(rows: UsageRow[]): Totals {
  const sum = (pick: (row: UsageRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const prompt = sum((row) => row.promptTokens);
  const completion = sum((row) => row.completionTokens);
  return {
    requests: sum((row) => row.requests),
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    cost: Number(sum((row) => row.cost).toFixed(9)),
    fallbacks: sum((row) => row.fallbacks),
    cache_hits: sum((row) => row.cacheHits),
    saved_tokens: sum((row) => row.savedTokens),
    saved_cost: Number(sum((row) => row.savedCost).toFixed(9)),
  };
}

function breakdown<K extends 'model' | 'feature'>(rows: UsageRow[], by: K): Array<Record<K, string> & Totals> {
  const groups = new Map<string, UsageRow[]>();
  for (const row of rows) groups.set(row[by], [...(groups.get(row[by]) ?? []), row]);
  return [...groups]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([name, members]) => ({ [by]: name, ...totalsOf(members) }) as Record<K, string> & Totals);
}

/**
 * GET /v1/usage: the calling tenant's requests, tokens, cost and fallbacks in a month, by model
 * group and by feature (`x-feature`; "" for untagged). An admin key sees every tenant.
 */
export function usageRoute({ state }: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const parsed = usageQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      sendOpenAIError(response, 400, {
        type: 'invalid_request_error',
        code: 'invalid_request',
        ...describeZodError(parsed.error),
      });
      return;
    }
    const owner = request.keyOwner!;
    if (parsed.data.tenant !== undefined && !owner.admin && parsed.data.tenant !== owner.tenant) {
      sendOpenAIError(response, 403, {
        message: 'Only an admin key may read another tenant’s usage.',
        type: 'permission_error',
        code: 'admin_required',
        param: 'tenant',
      });
      return;
    }
    if (!state) {
      sendOpenAIError(response, 503, {
        message: 'This API process has no state store, so it keeps no usage.',
        type: 'api_error',
        code: 'state_unavailable',
      });
      return;
    }
    const period = parsed.data.period ?? usagePeriod(Date.now());
    const scope = owner.admin ? parsed.data.tenant : owner.tenant;
    let rows: UsageRow[];
    try {
      rows = await state.readUsage(period, scope);
    } catch {
      sendOpenAIError(response, 503, {
        message: 'The gateway cannot read its usage state right now; retry shortly.',
        type: 'api_error',
        code: 'state_unavailable',
      });
      return;
    }
    const tenants = [...new Set([...(scope !== undefined ? [scope] : []), ...rows.map((row) => row.tenant)])].sort();
    const body: z.infer<typeof usageReportSchema> = {
      object: 'usage',
      period,
      tenants: tenants.map((tenant) => {
        const own = rows.filter((row) => row.tenant === tenant);
        return { tenant, ...totalsOf(own), by_model: breakdown(own, 'model'), by_feature: breakdown(own, 'feature') };
      }),
    };
    response.json(body);
  };
}
