import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const routeProbeScheduleId = 'gateway-route-probes';

/**
 * Creates (or updates) the Temporal Schedule that probes every route. Overlapping runs are
 * skipped, so a slow provider never piles probes up. An interval of 0 deletes the schedule.
 */
export async function ensureRouteProbeSchedule(
  client: Client,
  taskQueue: string,
  intervalSeconds: number,
): Promise<void> {
  const handle = client.schedule.getHandle(routeProbeScheduleId);
  if (intervalSeconds <= 0) {
    await handle.delete().catch(() => undefined);
    return;
  }
  const options = {
    scheduleId: routeProbeScheduleId,
    spec: { intervals: [{ every: intervalSeconds * 1000 }] },
    action: { type: 'startWorkflow' as const, workflowType: 'probeRoutes', taskQueue, args: [] as [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  };
  try {
    await client.schedule.create(options);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP },
    }));
  }
}
