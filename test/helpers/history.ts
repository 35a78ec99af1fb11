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
      const marker = decodeJsonPayload(event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]) as { activity_type?: string };
      return marker?.activity_type ?? '';
    });
}

/** Scheduled activities with their type and UI summary. */
export function scheduledActivities(events: HistoryEvent[]): Array<{ type: string; summary: unknown }> {
  return events
    .filter((event) => event.activityTaskScheduledEventAttributes)
    .map((event) => ({
      type: event.activityTaskScheduledEventAttributes?.activityType?.name ?? '',
      summary: decodeJsonPayload(event.userMetadata?.summary ?? undefined),
    }));
}
