import { idempotentWorkflowId } from '../../../src/api/inferences/idempotency';
import type { LogicalRequest, SendOutcome } from './chaos-client';
import type { RecordedInference } from './chaos-count';
import type { DisruptionRecord } from './chaos-schedule';
import type { CountingSimulator } from './counting-simulator';
import { chaosTenant } from './chaos-stack';

function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts.size === 0
    ? 'none'
    : [...counts]
        .sort(([left], [right]) => left.localeCompare(right))
        .map(([value, count]) => `${value} ×${count}`)
        .join(', ');
}

/** How a send that did not end its request looked to the client. */
function describeSend(send: SendOutcome): string {
  if (send.network) return `connection: ${send.network}`;
  return send.status === 200 ? `stream error event ${send.code}` : `${send.status} ${send.code}`;
}

/** The chaos run's counts as a printable table, the one docs/operations.md keeps from a real run. */
export function chaosTable({
  requests,
  inferences,
  disruptions,
  simulator,
  loadStartedAt,
}: {
  requests: LogicalRequest[];
  inferences: RecordedInference[];
  disruptions: DisruptionRecord[];
  simulator: CountingSimulator;
  loadStartedAt: number;
}): string {
  const sends = requests.reduce((sum, request) => sum + request.sends.length, 0);
  const failed = inferences.filter((inference) => inference.status !== 'COMPLETED');
  const markers = new Map(requests.map((request) => [idempotentWorkflowId(chaosTenant, request.key), request.marker]));
  const atSimulator = (inference: RecordedInference) =>
    simulator.callsByRequest.get(markers.get(inference.workflowId) ?? '') ?? 0;
  const extraAtSimulator = inferences.filter((inference) => atSimulator(inference) > inference.decisionCalls).length;
  const extraRecorded = inferences.filter((inference) => atSimulator(inference) < inference.decisionCalls).length;
  // Whole answers per 20 s of the load, to see what each disruption did to the throughput.
  const answered = requests.flatMap((request) =>
    request.final?.status === 200 && !request.final.code ? [request.final.at] : [],
  );
  const buckets = Array.from(
    { length: Math.ceil((Math.max(...answered, loadStartedAt) - loadStartedAt) / 20_000) },
    (_, index) =>
      answered.filter((at) => at >= loadStartedAt + index * 20_000 && at < loadStartedAt + (index + 1) * 20_000).length,
  );
  const decisionCalls = inferences.reduce((sum, inference) => sum + inference.decisionCalls, 0);
  const duplicates =
    inferences.filter((inference) => inference.runs > 1).length +
    requests.filter(
      (request) => new Set(request.sends.flatMap((send) => (send.inferenceId ? [send.inferenceId] : []))).size > 1,
    ).length;
  const byKind = tally(requests.map((request) => `${request.kind}/${request.trafficClass}`));
  const rows: Array<[string, string]> = [
    ['requests (Idempotency-Keys)', `${requests.length} (${byKind})`],
    ['sends / re-sends', `${sends} / ${sends - requests.length}`],
    ['accepted (inference workflows)', String(inferences.length)],
    ['completed', String(inferences.filter((inference) => inference.status === 'COMPLETED').length)],
    ['failed, by error code', tally(failed.map((inference) => inference.errorCode ?? inference.status))],
    ['provider calls at the simulator / in decision records', `${simulator.totalCalls()} / ${decisionCalls}`],
    ['interrupted mid-call: a call more at the simulator / in the record', `${extraAtSimulator} / ${extraRecorded}`],
    ['duplicates (two runs or two inferences for one key)', String(duplicates)],
    ['answers per 20 s of load', buckets.join(' ')],
    [
      'what made clients re-send',
      tally(requests.flatMap((request) => request.sends.filter((send) => send !== request.final)).map(describeSend)),
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
  const events = disruptions.map(
    (record) =>
      `  ${String(record.atSeconds).padStart(6)} s  ${record.what} (down ${record.downSeconds} s, ${record.callsInFlight} calls in flight)`,
  );
  return ['chaos: counted outcomes', ...lines, 'chaos: disruptions', ...events].join('\n');
}
