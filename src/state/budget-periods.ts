import type { GatewayConfig } from '../config/gateway-config-schema';
import type { SpendPeriod } from './tenant-state-store';

const dayMs = 24 * 60 * 60 * 1000;

export interface BudgetPeriod extends SpendPeriod {
  period: 'month' | 'day';
  /** When the period ends and its budget starts afresh (epoch ms, UTC). */
  resetsAt: number;
}

/** The budget periods in force for a tenant at `now` (UTC calendar month and day); none without a budget. */
export function budgetPeriods(config: GatewayConfig, tenant: string, now: number): BudgetPeriod[] {
  const budget = config.budgets[tenant];
  if (!budget) return [];
  const date = new Date(now);
  const month = date.toISOString().slice(0, 7);
  const day = date.toISOString().slice(0, 10);
  const monthEnd = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  const dayEnd = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
  return [
    {
      period: 'month',
      key: `spend:{${tenant}}:month:${month}`,
      limit: budget.monthly,
      ttlMs: monthEnd - now + 35 * dayMs,
      resetsAt: monthEnd,
    },
    ...(budget.daily !== undefined
      ? [
          {
            period: 'day' as const,
            key: `spend:{${tenant}}:day:${day}`,
            limit: budget.daily,
            ttlMs: dayEnd - now + 2 * dayMs,
            resetsAt: dayEnd,
          },
        ]
      : []),
  ];
}

/** The calendar month (UTC) usage is kept under, such as `2026-11`. */
export function usagePeriod(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}
