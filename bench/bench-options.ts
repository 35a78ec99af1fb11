// Settings of `npm run bench`, from flags (npm run bench -- --peers) or the environment.
import { parseArgs } from 'node:util';
import { defaultTrafficClasses } from '../src/config/gateway-config-schema';
import { floorShapes, type FloorShape } from './floor/floor-types';

/** How the gateway calls the provider for the bench's (standard) traffic when the config says nothing. */
/** How the gateway's standard class calls its provider: the floor shapes that are an `invoke` value. */
export type GatewayInvoke = Exclude<FloorShape, 'visible'>;
export const gatewayDefaultInvoke: GatewayInvoke = defaultTrafficClasses.standard.invoke ?? 'activity';

export interface LoadCase {
  connections: number;
  upstreamMs: number;
}

export type CoreTargetName = 'direct' | 'floor' | 'gateway' | 'cache' | 'split' | 'stack';
const coreTargetNames: readonly CoreTargetName[] = ['direct', 'floor', 'gateway', 'cache', 'split', 'stack'];
/** The targets a run has unless --targets names others: the stack takes minutes to start, and the cache-hit target is for the cache's figures, so both only on request. */
const defaultTargetNames: readonly CoreTargetName[] = ['direct', 'floor', 'gateway', 'split'];

export interface BenchOptions {
  /** Seconds of load per target per round. */
  seconds: number;
  rounds: number;
  /** Seconds of 10-connection load per target before the first round, not counted. */
  warmupSeconds: number;
  /** Pause between two runs, so one target's leftovers do not land in the next one's run. */
  settleMs: number;
  cases: LoadCase[];
  /** The streaming case (time to first token), or undefined when off. */
  stream?: LoadCase;
  peers: boolean;
  floorShapes: FloorShape[];
  /** Written into the bench config's standard traffic class as `invoke`, when set (else the gateway's default). */
  gatewayInvoke?: GatewayInvoke;
  targets: Set<CoreTargetName>;
  jsonPath?: string;
}

export const usage = `npm run bench [-- options]
  --seconds N            seconds per target per round (BENCH_SECONDS, default 5)
  --rounds N             interleaved rounds per case (BENCH_ROUNDS, default 3)
  --warmup N             warm-up seconds per target, not counted (BENCH_WARMUP_SECONDS, default 3)
  --cases LIST           connections@upstream-ms cases (BENCH_CASES, default 1@50,10@50,10@0)
  --stream CASE|off      time-to-first-token case (BENCH_STREAM, default 1@50)
  --floor-shapes LIST    floor shapes: local, activity, visible (local with the gateway's memo, summary and
                         search attributes) (BENCH_FLOOR_SHAPES; default the shape the gateway uses:
                         --gateway-invoke, else its standard class's default)
  --gateway-invoke SHAPE write invoke: local|activity into the bench config's standard traffic class
                         (BENCH_GATEWAY_INVOKE; only for a gateway whose config accepts it)
  --targets LIST         of direct, floor, gateway, cache, split, stack (BENCH_TARGETS; default all but
                         cache and stack; gateway always runs). cache: the same gateway on a model group
                         with the exact response cache on, every request a hit after the first. stack:
                         npm run stack's production topology with one combined gateway process, and a
                         floor on its Temporal server
  --peers                also LiteLLM and Portkey from bench/peers/ (BENCH_PEERS=1)
  --json FILE            also write every round's figures as JSON (BENCH_JSON)
  BENCH_SETTLE_MS        pause between two runs (default 500)
  BENCH_PROFILE_DIR      run the gateway and the floor under --cpu-prof into this folder
  BENCH_NODE_FLAGS       extra Node flags for the gateway and the floor (both alike), e.g. --max-semi-space-size=32`;

function positive(name: string, text: string, allowZero = false): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0))
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, not "${text}"`);
  return value;
}

function parseCase(text: string): LoadCase {
  const match = /^(\d+)@(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`a case is connections@upstream-ms, like 10@50, not "${text}"`);
  return { connections: positive('connections', match[1]!), upstreamMs: Number(match[2]) };
}

function parseShapes(text: string): FloorShape[] {
  const shapes = text
    .split(',')
    .map((shape) => shape.trim())
    .filter(Boolean);
  for (const shape of shapes)
    if (!floorShapes.includes(shape as FloorShape))
      throw new Error(`floor shape "${shape}" is not one of ${floorShapes.join(', ')}`);
  if (shapes.length === 0) throw new Error('give at least one floor shape');
  return [...new Set(shapes as FloorShape[])];
}

export function readBenchOptions(argv = process.argv.slice(2), environment = process.env): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      cases: { type: 'string' },
      stream: { type: 'string' },
      'floor-shapes': { type: 'string' },
      'gateway-invoke': { type: 'string' },
      targets: { type: 'string' },
      peers: { type: 'boolean' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const invokeText = values['gateway-invoke'] ?? environment.BENCH_GATEWAY_INVOKE;
  const gatewayInvoke = invokeText ? parseShapes(invokeText)[0] : undefined;
  if (gatewayInvoke === 'visible') throw new Error('--gateway-invoke is local or activity');
  const streamText = values.stream ?? environment.BENCH_STREAM ?? '1@50';
  const targetNames = (values.targets ?? environment.BENCH_TARGETS ?? defaultTargetNames.join(','))
    .split(',')
    .map((name) => name.trim());
  for (const name of targetNames)
    if (!coreTargetNames.includes(name as CoreTargetName))
      throw new Error(`target "${name}" is not one of ${coreTargetNames.join(', ')}`);
  return {
    seconds: positive('BENCH_SECONDS', values.seconds ?? environment.BENCH_SECONDS ?? '5'),
    rounds: Math.round(positive('BENCH_ROUNDS', values.rounds ?? environment.BENCH_ROUNDS ?? '3')),
    warmupSeconds: positive('BENCH_WARMUP_SECONDS', values.warmup ?? environment.BENCH_WARMUP_SECONDS ?? '3', true),
    settleMs: positive('BENCH_SETTLE_MS', environment.BENCH_SETTLE_MS ?? '500', true),
    cases: (values.cases ?? environment.BENCH_CASES ?? '1@50,10@50,10@0').split(',').map(parseCase),
    stream: streamText === 'off' ? undefined : parseCase(streamText),
    peers: values.peers ?? ['1', 'true', 'yes'].includes(environment.BENCH_PEERS ?? ''),
    floorShapes: parseShapes(
      values['floor-shapes'] ?? environment.BENCH_FLOOR_SHAPES ?? gatewayInvoke ?? gatewayDefaultInvoke,
    ),
    gatewayInvoke,
    targets: new Set([...(targetNames as CoreTargetName[]), 'gateway']),
    jsonPath: values.json ?? environment.BENCH_JSON,
  };
}
