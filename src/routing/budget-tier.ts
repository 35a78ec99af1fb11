import type { TrafficClassName } from '../config/gateway-config-schema';

/** Budget tiers: the share of a budget spent at which each effect starts. */
export const budgetThresholds = { downgrade: 0.8, refuseNonessential: 0.95, refuseAll: 1 } as const;

/** Traffic that gives way first as a budget runs out. */
const nonessentialClasses: readonly TrafficClassName[] = ['background', 'batch'];

export type BudgetEffect = 'normal' | 'downgrade' | 'refuse';

/** The budget tier one inference ran under, as the decision record keeps it. */
export interface BudgetTier {
  /** Share spent (finished plus in-flight estimates) of the tightest period, 0 to 1 and beyond. */
  spent: number;
  /** The period that is tightest: `month` or `day`. */
  period: string;
  effect: BudgetEffect;
  /**
   * A deferrable class admitted while its budget refuses: the inference waits durably until this
   * time (ISO 8601, the refusing period's reset) before it tries a route.
   */
  deferredUntil?: string;
}

/** What a tenant's spend means for one traffic class. Pure. */
export function budgetEffect(spent: number, trafficClass: TrafficClassName): BudgetEffect {
  if (spent >= budgetThresholds.refuseAll) return 'refuse';
  const nonessential = nonessentialClasses.includes(trafficClass);
  if (nonessential && spent >= budgetThresholds.refuseNonessential) return 'refuse';
  if (nonessential && spent >= budgetThresholds.downgrade) return 'downgrade';
  return 'normal';
}
