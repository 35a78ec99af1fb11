import { Context } from '@temporalio/activity';
import type { GatewayConfig } from '../config/gateway-config-schema';
import { ChatStreamAssembler } from '../providers/chat-stream-assembler';
import { isContentEvent } from '../providers/chat-stream-event';
import { ProviderCallError, toApplicationFailure, type ProviderErrorDetails } from '../providers/provider-error';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry';
import type { GatewayStateStore } from '../state/route-state-store';
import type { StreamChannel, StreamMessage } from '../streaming/stream-channel';
import { attemptTimeToFirstToken } from '../observability/metrics';
import { failureOutcome, recordFailedCall, recordSuccessfulCall, recordUnansweredCall } from './call-bookkeeping';
import {
  callAbortSignal,
  reportCancellation,
  type InvokeRouteInput,
  type InvokeRouteOutput,
} from './invoke-route-activity';
import { emptied, guardAnswerInWorker, recordOutputVerdicts } from './answer-guardrails-activity';
import { policiesNamed } from '../guardrails/attached-policies';
import { blockedMessage } from '../guardrails/guardrail-outcome';
import type { GuardrailRefusal } from '../guardrails/guardrail-verdict';
import { streamGuarding } from '../guardrails/run-guardrails';
import { StreamGuard } from '../guardrails/stream-guard';
import { resolveRouteConfig } from './resolve-route-config';
import { streamAttemptId } from './stream-attempt-id';
import { createStreamSender } from './stream-sender';

/** What a streaming attempt reports in its heartbeats; a retry of the attempt reads it back. */
export interface StreamProgress {
  /** Content has been published toward the client. */
  partialOutputSent: boolean;
  ttftMs?: number;
}

/**
 * The streaming variant of invokeRoute: streams the route's answer, publishes every canonical event
 * on the stream channel for the API (never into history), heartbeats while it streams, and returns
 * the assembled response like invokeRoute does. A failure after content was published is
 * StreamInterrupted and non-retryable: the client has seen part of an answer no retry can continue.
 * With output guardrails, a held stream publishes nothing and a `flow` stream is checked piece by
 * piece here, so the verdicts and the refusal are in the call's recorded result.
 */
export function createInvokeRouteStreamActivity(
  getConfig: () => GatewayConfig,
  adapters: ProviderRegistry,
  store: GatewayStateStore,
  environment: NodeJS.ProcessEnv,
  channel: StreamChannel,
) {
  return async function invokeRouteStreamActivity({
    request,
    guardrails,
    guardrailStream,
    ...booking
  }: InvokeRouteInput): Promise<InvokeRouteOutput> {
    const context = Context.current();
    const { route, reservationId } = booking;
    const { info } = context;
    const inferenceId = info.workflowExecution?.workflowId ?? info.activityId;
    const attempt = streamAttemptId(info);
    const previous = info.heartbeatDetails as StreamProgress | undefined;
    if (previous?.partialOutputSent) {
      // The previous try died (a worker crash, a missed heartbeat) after content went out.
      const details: ProviderErrorDetails = {
        type: 'StreamInterrupted',
        message: 'The previous try of this streaming attempt stopped after its first token',
      };
      await recordUnansweredCall(store, booking, failureOutcome(details, reservationId));
      throw toApplicationFailure({
        ...details,
        attempt: info.attempt,
        partialOutputSent: true,
        ttftMs: previous.ttftMs,
      });
    }
    const { provider, account, region } = resolveRouteConfig(getConfig(), route);
    const sender = createStreamSender(channel, inferenceId);
    // A held stream reaches the client only once it passed its output checks, from the result:
    // nothing of it goes on the channel. A `flow` stream's pieces meet them before each is published.
    const publish = guardrailStream === 'hold' ? () => undefined : (message: StreamMessage) => sender.send(message);
    const policies = guardrailStream === 'flow' && guardrails?.length ? policiesNamed(getConfig(), guardrails) : [];
    const guard = streamGuarding(policies) === 'none' ? undefined : new StreamGuard(policies);
    let refused: GuardrailRefusal | undefined;
    const verdictContext = { inferenceId, tenant: booking.tenant?.id, modelGroup: booking.tenant?.modelGroup };
    const progress: StreamProgress = { partialOutputSent: false };
    // A local activity has no heartbeats (its workflow task is kept alive by the SDK).
    const heartbeat = () => !info.isLocal && info.heartbeatTimeoutMs && context.heartbeat({ ...progress });
    // Every attempt starts with a reset, so the API drops whatever an earlier attempt sent it.
    publish({ type: 'reset', attempt, route });
    heartbeat();
    // Keeps the attempt alive while the provider thinks before its first token.
    const beat = info.isLocal
      ? undefined
      : setInterval(heartbeat, Math.max(1_000, (info.heartbeatTimeoutMs ?? 30_000) / 3));
    const assembler = new ChatStreamAssembler();
    const started = performance.now();
    const abort = await callAbortSignal(context, channel);
    try {
      const events = adapterFor(adapters, provider).stream({
        model: route.model,
        request,
        provider,
        account,
        region,
        environment,
        signal: abort.signal,
      });
      for await (const event of events) {
        if (isContentEvent(event) && progress.ttftMs === undefined) {
          progress.ttftMs = Math.round(performance.now() - started);
          attemptTimeToFirstToken.observe(
            { provider: route.provider, model: route.model, region: route.region },
            progress.ttftMs / 1000,
          );
        }
        assembler.add(event);
        heartbeat();
        // Once blocked, the rest is read but not published: the provider's usage is still counted.
        if (refused || guardrailStream === 'hold') continue;
        const blocked = guard?.check(event);
        if (blocked) {
          refused = { code: 'content_blocked', message: blockedMessage(blocked) };
          publish({ type: 'blocked', attempt, refused });
          continue;
        }
        if (isContentEvent(event) && !sender.broken) progress.partialOutputSent = true;
        publish({ type: 'event', attempt, event });
      }
    } catch (error) {
      await sender.flush();
      if (abort.signal.aborted) return reportCancellation(store, booking, context);
      if (!(error instanceof ProviderCallError)) {
        // An unexpected failure (a bug) still ends the route's half-open trial.
        await recordUnansweredCall(store, booking, failureOutcome({ type: 'ServerError' }, reservationId));
        throw error;
      }
      const details: ProviderErrorDetails = progress.partialOutputSent
        ? {
            ...error.details,
            type: 'StreamInterrupted',
            providerCode: error.details.providerCode ?? error.details.type,
            message: `The provider's stream broke after the first token: ${error.details.message}`,
          }
        : error.details;
      const { circuitOpen } = await recordFailedCall(store, booking, details, context);
      throw toApplicationFailure({
        ...details,
        attempt: info.attempt,
        ...(circuitOpen && { circuitOpen }),
        ...(progress.partialOutputSent && { partialOutputSent: true }),
        ...(progress.ttftMs !== undefined && { ttftMs: progress.ttftMs }),
      });
    } finally {
      clearInterval(beat);
      abort.stop();
    }
    const latencyMs = Math.round(performance.now() - started);
    const response = assembler.result({
      id: `${inferenceId}-${info.attempt}`,
      model: route.model,
      created: Math.floor(Date.now() / 1000),
    });
    // The whole answer meets the output checks (size and JSON schema too) before a `flow` stream's clean end.
    let guarded: Awaited<ReturnType<typeof guardAnswerInWorker>> | undefined;
    if (refused && guard) {
      recordOutputVerdicts(guard.verdicts, verdictContext);
      guarded = { response: emptied(response), guardrails: { verdicts: guard.verdicts, refused } };
    } else if (guardrails?.length) {
      guarded = await guardAnswerInWorker(getConfig(), environment, guardrails, request, response, verdictContext);
      if (guarded.guardrails.refused) publish({ type: 'blocked', attempt, refused: guarded.guardrails.refused });
    }
    if (!guarded?.guardrails.refused) publish({ type: 'done', attempt });
    await sender.flush();
    const priced = await recordSuccessfulCall(store, getConfig(), booking, response, latencyMs, context);
    return {
      response,
      ...guarded,
      attempt: info.attempt,
      latencyMs,
      ...(progress.ttftMs !== undefined && { ttftMs: progress.ttftMs }),
      ...priced,
    };
  };
}
