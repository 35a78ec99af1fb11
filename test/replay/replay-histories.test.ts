import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../../src/observability/tracing';
import { tracingWorkerOptions } from '../../src/temporal/tracing-interceptors';
import { inferenceWorkflowBundling, inferenceWorkflowsPath } from '../../src/worker/workflow-bundling';
import { testProviderEnvironment } from '../helpers/test-gateway';

// Histories recorded from real runs by `npm run replay:capture`. Replaying them against the
// current workflow code proves a change keeps every recorded inference able to finish.
const historiesDir = join(__dirname, 'histories');
const histories = readdirSync(historiesDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    name: file.replace(/\.json$/, ''),
    history: JSON.parse(readFileSync(join(historiesDir, file), 'utf8')) as unknown,
  }));

interface RecordedHistory {
  events: Array<{
    markerRecordedEventAttributes?: {
      markerName?: string;
      details?: Record<string, { payloads?: Array<{ data?: string }> }>;
    };
    workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } };
  }>;
}

/** Changes made to the workflow after `inferenceV2` was born: behind `patched()` for both types. */
const patchesAfterInferenceV2 = ['quota-refusal-reads-reset'];

const patchMarkerIds = (history: unknown): string[] =>
  (history as RecordedHistory).events
    .filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map(
      (event) =>
        (
          JSON.parse(
            Buffer.from(
              event.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!,
              'base64',
            ).toString('utf8'),
          ) as { id: string }
        ).id,
    );

const workflowType = (history: unknown): string | undefined =>
  (history as RecordedHistory).events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;

describe('replay of recorded inference histories', () => {
  before(() => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  });

  it('has the representative cases recorded', () => {
    const names = histories.map((entry) => entry.name);
    for (const required of [
      'all-routes-exhausted',
      'batch-waits-for-quota',
      'budget-downgrade',
      'cooling-route-refused',
      'deterministic-error-fails-fast',
      'embedding-fallback',
      'out-of-quota',
      'sticky-session-moves',
      'success-first-route',
      'transient-error-then-fallback',
    ]) {
      assert.ok(names.includes(required), `missing history ${required}`);
    }
  });

  it('replays every recorded history against the current workflow code', async () => {
    const options = {
      workflowsPath: inferenceWorkflowsPath,
      bundlerOptions: inferenceWorkflowBundling,
      logger: new DefaultLogger('ERROR'),
    };
    for (const { name, history } of histories) {
      await assert.doesNotReject(Worker.runReplayHistory(options, history, name), `history ${name} must replay`);
    }
  });

  it('replays every recorded history with the tracing interceptors in the workflow sandbox', async () => {
    // Tracing adds spans and headers, never a workflow command: a traced worker picks up any run.
    const tracing = startTracing({}, new SimpleSpanProcessor(new InMemorySpanExporter()))!;
    const { interceptors, sinks } = tracingWorkerOptions(tracing);
    const options = {
      workflowsPath: inferenceWorkflowsPath,
      bundlerOptions: inferenceWorkflowBundling,
      logger: new DefaultLogger('ERROR'),
      interceptors,
      sinks,
    };
    const results = Worker.runReplayHistories(
      options,
      histories.map(({ name, history }) => ({ workflowId: name, history })),
    );
    for await (const { workflowId, error } of results)
      assert.equal(error, undefined, `history ${workflowId} must replay with tracing: ${error?.message}`);
    await tracing.shutdown();
  });

  it('records in the histories of inferenceV2 no patch marker but those of changes made after it', () => {
    const v2 = histories.filter(({ history }) => workflowType(history) === 'inferenceV2');
    assert.ok(v2.length >= 8, `only ${v2.length} inferenceV2 histories`);
    for (const { name, history } of v2) {
      const patchIds = patchMarkerIds(history).filter((id) => !patchesAfterInferenceV2.includes(id));
      assert.deepEqual(patchIds, [], `${name} has markers of changes inferenceV2 was born with`);
    }
    // The one change made since then is marked where it applies, and only there.
    assert.deepEqual(patchMarkerIds(histories.find(({ name }) => name === 'cooling-route-refused')!.history), [
      'quota-refusal-reads-reset',
    ]);
    // The histories of the first type do have them: the check above can tell the two apart.
    const v1 = histories.find(({ name }) => name === 'success-first-route.before-inference-v2');
    assert.ok(v1 && workflowType(v1.history) === 'inference');
    assert.ok(
      (v1.history as RecordedHistory).events.some(
        (event) => event.markerRecordedEventAttributes?.markerName === 'core_patch',
      ),
    );
  });

  it('holds no secret: no provider key and no gateway key in any recorded history', () => {
    const secrets = [
      ...Object.values(testProviderEnvironment).filter((value) => value.startsWith('sk-')),
      'gw-test-',
      'gw-dev-',
      'Bearer ',
    ];
    for (const { name, history } of histories) {
      const text = JSON.stringify(history);
      for (const secret of secrets) assert.ok(!text.includes(secret), `${name} contains ${secret}`);
    }
  });

  it('fails replay for a workflow whose step order changed', async () => {
    const options = {
      workflowsPath: require.resolve('./__fixtures__/reordered-workflows'),
      logger: new DefaultLogger('ERROR'),
    };
    const { name, history } = histories.find((entry) => entry.name === 'success-first-route')!;
    await assert.rejects(
      Worker.runReplayHistory(options, history, name),
      (error: Error) => error.name === 'DeterminismViolationError',
    );
  });
});
