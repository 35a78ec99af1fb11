import { Client, Connection } from '@temporalio/client';
import Redis from 'ioredis';
import { setTimeout as delay } from 'node:timers/promises';
import { toErrorCode } from '../../../src/api/gateway-error-response';
import { readInferenceFailure } from '../../../src/api/inferences/inference-failure';
import type { GatewayConfig } from '../../../src/config/gateway-config-schema';
import { budgetPeriods, usagePeriod } from '../../../src/state/budget-periods';
import { RedisTenantStateStore } from '../../../src/state/redis-tenant-state-store';
import type { SpendStatus, UsageRow } from '../../../src/state/tenant-state-store';
import {
  anyInferenceTypeClause,
  type DecisionRecord,
  type InferenceResult,
} from '../../../src/workflows/inference-types';

/** One inference workflow as Temporal recorded it. */
export interface RecordedInference {
  workflowId: string;
  /** Runs (executions) with this workflow id: more than one would be a duplicate. */
  runs: number;
  status: string;
  /** When it started and closed (epoch milliseconds). */
  startedAt: number;
  closedAt: number;
  /** The gateway error code of a failed inference. */
  errorCode?: string;
  /** Provider calls its decision record counts (Temporal retries included). */
  decisionCalls: number;
  prompt: number;
  completion: number;
  cost: number;
}

const callsOf = (decision: DecisionRecord | undefined) =>
  (decision?.attempts ?? []).reduce((sum, attempt) => sum + attempt.calls, 0);

/** Waits until Temporal lists no running inference, or `timeoutMs` has passed; returns how many still run. */
export async function waitForNoRunningInference(client: Client, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { count } = await client.workflow.count(`${anyInferenceTypeClause} AND ExecutionStatus = 'Running'`);
    if (count === 0 || Date.now() > deadline) return count;
    await delay(2_000);
  }
}

/** Every inference workflow Temporal holds, each with its outcome and its decision record's calls, tokens and cost. */
export async function readRecordedInferences(client: Client): Promise<RecordedInference[]> {
  const executions = new Map<string, { runs: number; status: string; startedAt: number; closedAt: number }>();
  for await (const execution of client.workflow.list({ query: anyInferenceTypeClause })) {
    const seen = executions.get(execution.workflowId);
    executions.set(execution.workflowId, {
      runs: (seen?.runs ?? 0) + 1,
      status: execution.status.name,
      startedAt: execution.startTime.getTime(),
      closedAt: execution.closeTime?.getTime() ?? Number.POSITIVE_INFINITY,
    });
  }
  const ids = [...executions.keys()];
  const recorded: RecordedInference[] = [];
  // A few at a time: the machine is shared.
  for (let index = 0; index < ids.length; index += 16) {
    recorded.push(
      ...(await Promise.all(
        ids.slice(index, index + 16).map(async (workflowId): Promise<RecordedInference> => {
          const base = { workflowId, ...executions.get(workflowId)!, prompt: 0, completion: 0, cost: 0 };
          try {
            const result = (await client.workflow.getHandle(workflowId).result()) as InferenceResult;
            const success = result.decision.attempts.find((attempt) => attempt.outcome === 'success');
            return {
              ...base,
              decisionCalls: callsOf(result.decision),
              prompt: success?.tokens?.prompt ?? 0,
              completion: success?.tokens?.completion ?? 0,
              cost: success?.cost ?? 0,
            };
          } catch (error) {
            const failure = readInferenceFailure(error);
            if (!failure) throw error;
            return { ...base, errorCode: toErrorCode(failure.type), decisionCalls: callsOf(failure.details?.decision) };
          }
        }),
      )),
    );
  }
  return recorded;
}

export async function withTemporal<T>(
  address: string,
  namespace: string,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new Client({ connection, namespace }));
  } finally {
    await connection.close();
  }
}

/** The tenant's usage this month and its spend in each budget period, read from Redis by the gateway's own store. */
export async function readTenantState(
  redisUrl: string,
  config: GatewayConfig,
  tenant: string,
): Promise<{ usage: UsageRow[]; spend: SpendStatus[] }> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    const store = new RedisTenantStateStore(redis);
    const now = Date.now();
    return {
      usage: await store.readUsage(usagePeriod(now), tenant),
      spend: await store.readSpend(budgetPeriods(config, tenant, now), now),
    };
  } finally {
    redis.disconnect();
  }
}
