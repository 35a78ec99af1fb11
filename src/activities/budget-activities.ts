import type { GatewayConfig, TrafficClassName } from '../config/gateway-config-schema';
import { assessBudget, type BudgetAssessment } from '../state/budget-assessment';
import type { TenantStateStore } from '../state/tenant-state-store';

/** The tenant's budget as the workflow re-reads it after a durable wait. */
export function createBudgetActivities(getConfig: () => GatewayConfig, store: TenantStateStore) {
  return {
    async readBudget({
      tenant,
      trafficClass,
    }: {
      tenant: string;
      trafficClass: TrafficClassName;
    }): Promise<BudgetAssessment> {
      return assessBudget(getConfig(), store, tenant, trafficClass, Date.now());
    },
  };
}
