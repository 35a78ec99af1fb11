import { Context } from '@temporalio/activity';

/**
 * The spend reservation id of the selection step running now: its inference and its activity id.
 * A worker that dies mid-call loses its workflow task, and the worker that takes it over runs the
 * same steps again with the same activity ids, so it finds the reservation the first one took
 * instead of leaving it behind. Undefined outside an activity (a fresh id is then drawn).
 */
export function stepReservationId(): string | undefined {
  let info;
  try {
    ({ info } = Context.current());
  } catch {
    return undefined;
  }
  const workflowId = info.workflowExecution?.workflowId;
  return workflowId ? `${workflowId}/${info.activityId}` : undefined;
}
