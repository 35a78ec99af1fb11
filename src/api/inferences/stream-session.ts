import { responseAsStreamEvents } from '../../providers/chat-stream-event';
import { routeKey, type Route } from '../../routing/route';
import type { StreamMessage } from '../../streaming/stream-channel';
import type { ApiShape } from '../api-shape';
import { gatewayErrorStatus, toErrorCode } from '../gateway-error-response';
import type { InferenceOutcome } from './run-inference';
import type { StreamRenderer } from './stream-renderer';
import { droppedParametersHeader } from '../answer-headers';
import { gatewayHeaders } from '../gateway-headers';

/** Where a session writes; SseWriter over an HTTP response in production. */
export interface SseSink {
  /** True once the status and headers are out: from then on, errors travel as events. */
  readonly started: boolean;
  open(headers: Record<string, string>): void;
  write(frames: string[]): void;
  end(): void;
}

export type UnsuccessfulOutcome = Exclude<InferenceOutcome, { kind: 'result' }>;

/**
 * The decisions of one streamed answer, fed with what arrives from the stream channel and from the
 * workflow. The rule: nothing is written until the first content token, so every retry and
 * fallback before it is invisible and a failure before it is an ordinary HTTP error. From the
 * first token on, tokens are forwarded as they come; a `reset` (a new attempt) or a failed
 * inference then ends the stream with an error event in the client's format, never a clean end.
 * Each handler returns true once the response is complete.
 */
export class StreamSession {
  private renderer: StreamRenderer;
  private attempt: string | undefined;
  private route: Route | undefined;
  private attemptsStarted = 0;
  /** The fields the current attempt's route left out, for the header. */
  private dropped: string[] | undefined;
  private readonly routesTried = new Set<string>();

  constructor(
    private readonly shape: ApiShape,
    private readonly inferenceId: string,
    private readonly sink: SseSink,
    /** Answers with a whole error response, when nothing has been written yet. */
    private readonly sendUnsuccessful: (outcome: UnsuccessfulOutcome) => void,
    /** What `x-gateway-inference-id` says: a cache hit's own audit id, the inference's otherwise. */
    private readonly headerId: string = inferenceId,
  ) {
    this.renderer = shape.streamRenderer(inferenceId);
  }

  onMessage(message: StreamMessage): boolean {
    if (message.type === 'reset') {
      if (this.sink.started) {
        this.endWithError(
          502,
          'stream_interrupted',
          `The answer was interrupted after it had begun: attempt ${message.attempt} started over. GET /v1/inferences/${this.inferenceId} shows what happened.`,
        );
        return true;
      }
      this.attempt = message.attempt;
      this.route = message.route;
      this.attemptsStarted += 1;
      this.routesTried.add(routeKey(message.route));
      this.dropped = undefined;
      this.renderer = this.shape.streamRenderer(this.inferenceId);
      return false;
    }
    if (message.attempt !== this.attempt) return false; // a late message of a superseded attempt
    if (message.type === 'event') {
      if (message.event.type === 'dropped') this.dropped = message.event.parameters;
      this.write(this.renderer.event(message.event));
      return false;
    }
    this.write(this.renderer.end());
    this.sink.end();
    return true;
  }

  /** False when the answer has begun and the workflow succeeded: the rest still comes from the channel. */
  onOutcome(outcome: InferenceOutcome): boolean {
    if (outcome.kind === 'result') {
      if (this.sink.started) return false;
      // Nothing streamed yet (no shared channel, or the result overtook the tokens): send it all now.
      const { result } = outcome;
      this.route = result.route;
      this.dropped = result.response.droppedParameters;
      this.renderer = this.shape.streamRenderer(this.inferenceId);
      const frames = [
        ...responseAsStreamEvents(result.response).flatMap((event) => this.renderer.event(event)),
        ...this.renderer.end(),
      ];
      this.sink.open(this.headers(result.attempts, result.fallback));
      this.sink.write(frames);
      this.sink.end();
      return true;
    }
    if (!this.sink.started) {
      this.sendUnsuccessful(outcome);
      return true;
    }
    if (outcome.kind === 'pending') this.endWithError(504, 'inference_pending', outcome.message);
    else
      this.endWithError(
        gatewayErrorStatus(outcome.failure.type),
        toErrorCode(outcome.failure.type),
        outcome.failure.message,
      );
    return true;
  }

  /** Whether a message of `attempt` belongs to the attempt being streamed (not a superseded one). */
  ofCurrentAttempt(attempt: string): boolean {
    return attempt === this.attempt;
  }

  /** True once anything was written to the client. */
  get started(): boolean {
    return this.sink.started;
  }

  /** A guardrail blocked the answer: a whole 400 when nothing was sent yet, else an error event that ends the stream. */
  onBlocked(message: string, sendWhole: () => void): void {
    if (!this.sink.started) {
      sendWhole();
      return;
    }
    this.endWithError(400, 'content_blocked', message);
  }

  /** The workflow succeeded but the rest of a begun answer never arrived on the channel. */
  onTailTimeout(): void {
    this.endWithError(
      502,
      'stream_interrupted',
      `The rest of the answer did not arrive on the stream channel; GET /v1/inferences/${this.inferenceId} returns it whole.`,
    );
  }

  private headers(attempts: number, fallback: boolean): Record<string, string> {
    const route = this.route;
    return {
      [gatewayHeaders.inferenceId]: this.headerId,
      ...(route && {
        [gatewayHeaders.provider]: route.provider,
        [gatewayHeaders.model]: route.model,
        [gatewayHeaders.account]: route.account,
        [gatewayHeaders.region]: route.region,
      }),
      [gatewayHeaders.attempts]: String(attempts),
      [gatewayHeaders.fallback]: String(fallback),
      ...droppedParametersHeader(this.dropped),
    };
  }

  private write(frames: string[]): void {
    if (frames.length === 0) return;
    if (!this.sink.started) this.sink.open(this.headers(this.attemptsStarted, this.routesTried.size > 1));
    this.sink.write(frames);
  }

  private endWithError(status: number, code: string, message: string): void {
    this.sink.write(this.renderer.error(status, code, message));
    this.sink.end();
  }
}
