import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';

import v8 from 'node:v8';
let wfPromises = 0;
const sites = new Map<string, number>();
async function main(): Promise<void> {
  if (process.env.COUNT) v8.promiseHooks.createHook({ init: (p: Promise<unknown>) => { if (p.constructor !== Promise) { wfPromises++; if (process.env.COUNT === '2') { const st = (new Error().stack ?? '').split('\n').slice(2, 6).map((l) => l.trim().replace(/\(.*workflow-bundle[^:]*:/, '(').replace(/^at /, '')).join(' < '); sites.set(st, (sites.get(st) ?? 0) + 1); } } } });
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const variant = process.env.VARIANT ?? 'normal';
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./src/workflows'), logger: new DefaultLogger('ERROR') });
  let code = bundle.code;
  if (variant === 'nomap') {
    const pos = code.lastIndexOf('//# sourceMappingURL=data:');
    const empty = Buffer.from(JSON.stringify({ version: 3, file: 'wf.js', sources: [], names: [], mappings: '' })).toString('base64');
    code = code.slice(0, pos) + '//# sourceMappingURL=data:application/json;base64,' + empty;
  }
  if (variant === 'limit3') code = 'Error.stackTraceLimit = 3;\n' + code;
  if (variant === 'limit0') code = 'Error.stackTraceLimit = 0;\n' + code;
  const history = JSON.parse(readFileSync(process.env.HIST ?? 'test/replay/histories/success-first-route.json', 'utf8'));
  const n = Number(process.env.N ?? 200);
  const histories = function* () {
    for (let i = 0; i < n; i++) yield { workflowId: `wf-${i}`, history };
  };
  // warm-up
  for await (const r of Worker.runReplayHistories({ workflowBundle: { code } }, (function* () { for (let i = 0; i < 30; i++) yield { workflowId: `w-${i}`, history }; })())) if (r.error) throw r.error;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for await (const r of Worker.runReplayHistories({ workflowBundle: { code } }, histories())) if (r.error) throw r.error;
  const ms = performance.now() - t0;
  if (process.env.COUNT) console.log('workflow promises per replay', wfPromises / (n + 30));
  for (const [k, v] of [...sites.entries()].sort((a, b) => b[1] - a[1])) console.log((v / (n + 30)).toFixed(1), k);
  const cpu = process.cpuUsage(cpu0);
  console.log(variant, 'per replay ms', (ms / n).toFixed(2), 'cpu ms', ((cpu.user + cpu.system) / 1000 / n).toFixed(2));
}
void main();
