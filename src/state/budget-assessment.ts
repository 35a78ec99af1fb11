import type { GatewayConfig, TrafficClassName } from '../config/gateway-config-schema';
import { budgetEffect, type BudgetTier } from '../routing/budget-tier';
import { budgetPeriods, type BudgetPeriod } from './budget-periods';
import type { TenantStateStore } from './tenant-state-store';

/** Why a tenant's budget says no to a traffic class now, and when it says yes again. */
export interface BudgetRefusal {
  message: string;
  /** When the refusing period starts afresh (epoch ms, UTC). */
  resetsAt: number;
  period: BudgetPeriod['period'];
}

export interface BudgetAssessment {
  /** The tier of the tightest period; undefined when the tenant has no budget. */
  tier?: BudgetTier;
  refusal?: BudgetRefusal;
}

/**
 * Reads a tenant's spend and says what it means for one traffic class: its tier, and a refusal when
 * the budget says no. Shared by admission (in the API) and the workflow's re-check after a wait.
 */
export async function assessBudget(
  config: GatewayConfig,
  store: TenantStateStore,
  tenant: string,
  trafficClass: TrafficClassName,
  now: number,
): Promise<BudgetAssessment> {
  const periods = budgetPeriods(config, tenant, now);
  if (periods.length === 0) return {};
  const statuses = await store.readSpend(periods, now);
  const shares = statuses.map((status, index) => ({
    period: periods[index]!,
    spent: (status.committed + status.reserved) / status.limit,
  }));
  const tightest = shares.reduce((left, right) => (right.spent > left.spent ? right : left));
  const tier: BudgetTier = {
    spent: Number(tightest.spent.toFixed(4)),
    period: tightest.period.period,
    effect: budgetEffect(tightest.spent, trafficClass),
  };
  if (tier.effect !== 'refuse') return { tier };
  // The request must wait for every refusing period; the message names the one that ends last.
  const refusing = shares.filter((share) => budgetEffect(share.spent, trafficClass) === 'refuse');
  const last = refusing.reduce((left, right) => (right.period.resetsAt > left.period.resetsAt ? right : left));
  const { period, limit, resetsAt } = last.period;
  const until = new Date(resetsAt).toISOString();
  const name = period === 'day' ? 'daily' : 'monthly';
  const message =
    last.spent >= 1
      ? `Tenant "${tenant}" has spent its ${name} budget of ${limit}; every request is refused until ${until}.`
      : `Tenant "${tenant}" has spent ${Math.floor(last.spent * 100)}% of its ${name} budget of ${limit}; ${trafficClass} traffic is refused from 95% until ${until}.`;
  return { tier, refusal: { message, resetsAt, period } };
}
