/**
 * The bench's own environment without the variables that would change how a gateway process
 * runs (a TEMPORAL_ADDRESS, a REDIS_URL, a payload key, provider keys…): each target gets exactly
 * the variables the bench gives it.
 */
export function cleanEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(GATEWAY_|TEMPORAL_|REDIS_|BENCH_|OPENAI_|ANTHROPIC_|AWS_|PORT$|HOST$|LOG_LEVEL$)/.test(name)) continue;
    environment[name] = value;
  }
  return { ...environment, ...extra };
}

/**
 * Node's arguments for a measured process: with `BENCH_PROFILE_DIR` set, `--cpu-prof` into that
 * folder (one profile per thread, written when the process exits), so that the gateway and the
 * floor can be profiled under the same load; the profiler slows both, so keep such runs apart.
 */
export function measuredNodeArguments(script: string): string[] {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const extraFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  return [
    ...extraFlags,
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    '--import',
    'tsx',
    script,
  ];
}
