import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

function decodeJsonPayload(payload: temporal.api.common.v1.IPayload | undefined): unknown {
  return payload?.data ? JSON.parse(Buffer.from(payload.data).toString('utf8')) : undefined;
}

/** Activity types of the local activities recorded as markers in a history. */
export function localActivityTypes(events: HistoryEvent[]): string[] {
  return events
    .filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity')
    .map((event) => {
      const marker = decodeJsonPayload(event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]) as {
        activity_type?: string;
      };
      return marker?.activity_type ?? '';
    });
}

/**
 * Every provider call in a history, in order: an activity per route attempt (Temporal retries
 * inside it), or a local activity's marker per call, each with its UI summary.
 */
export interface ProviderCallEvent {
  type: string;
  kind: 'activity' | 'local';
  summary: unknown;
}

export function providerCalls(events: HistoryEvent[]): ProviderCallEvent[] {
  return events.flatMap((event): ProviderCallEvent[] => {
    const summary = decodeJsonPayload(event.userMetadata?.summary ?? undefined);
    const scheduled = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (scheduled) return [{ type: scheduled, kind: 'activity', summary }];
    if (event.markerRecordedEventAttributes?.markerName !== 'core_local_activity') return [];
    const marker = decodeJsonPayload(event.markerRecordedEventAttributes.details?.data?.payloads?.[0]) as {
      activity_type?: string;
    };
    const type = marker?.activity_type;
    return type?.startsWith('invokeRoute') || type === 'embedRoute' ? [{ type, kind: 'local', summary }] : [];
  });
}

/** How many workflow tasks the workflow needed: 1 when the whole inference ran in one. */
export function workflowTaskCount(events: HistoryEvent[]): number {
  return events.filter((event) => event.workflowTaskCompletedEventAttributes).length;
}
