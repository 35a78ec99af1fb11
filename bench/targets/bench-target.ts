import type { RunningChild } from '../child-processes';
import type { MeasuredProcess } from '../load-generator-process';

export type TargetKind =
  'direct' | 'floor' | 'gateway' | 'cache-hit' | 'split' | 'peer' | 'stack-floor' | 'stack-gateway';

/** One thing the bench sends load to, with the processes whose CPU counts against it. */
export interface BenchTarget {
  /** As the report names it: `direct`, `floor (local)`, `gateway`, `split`, `litellm`, … */
  name: string;
  kind: TargetKind;
  /** Full URL of its OpenAI-compatible chat completions endpoint. */
  chatUrl: string;
  headers: Record<string, string>;
  /** The model to name in the body; the bench's model group when omitted. */
  model?: string;
  measured: MeasuredProcess[];
}

/** A started target with the processes to watch and a way to stop it. */
export interface StartedTargets {
  targets: BenchTarget[];
  children: RunningChild[];
}
