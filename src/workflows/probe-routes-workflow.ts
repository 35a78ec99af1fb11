import { proxyActivities } from '@temporalio/workflow';
import type { GatewayActivities } from '../activities/create-activities';
import type { ProbeResult } from '../activities/probe-activities';
import { describeRoute } from '../routing/route';

const { listRoutes } = proxyActivities<GatewayActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 2 },
});
// A probe is never retried: its result is the observation.
const { probeRoute } = proxyActivities<GatewayActivities>({
  startToCloseTimeout: '70s',
  retry: { maximumAttempts: 1 },
});

/** Probes every configured route once; started by the `gateway-route-probes` Temporal Schedule. */
export async function probeRoutes(): Promise<ProbeResult[]> {
  const routes = await listRoutes();
  return Promise.all(
    routes.map((route) => probeRoute.executeWithOptions({ summary: `probe ${describeRoute(route)}` }, [route])),
  );
}
