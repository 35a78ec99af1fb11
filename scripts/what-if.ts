// `npm run what-if -- --config new.yaml [--baseline current.yaml] [--since 24h] [--tenant acme] [--limit 1000]`:
// what a proposed routing config would have done with the inferences Temporal recorded. It reads
// closed inferences (visibility, then each history's input and decision record), runs both
// configs' pure selection steps on exactly the inputs and route state each one saw, and prints how
// many would be routed differently, which would be refused, and the cost difference. Offline
// against any Temporal server (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE); it never calls a provider.
import { Client, Connection } from '@temporalio/client';
import { parseArgs } from 'node:util';
import { defaultConfigPath, loadConfig } from '../src/config/load-config';
import { gatewayDataConverter } from '../src/temporal/gateway-data-converter';
import { payloadCodecFromEnvironment } from '../src/temporal/payload-codec-from-environment';
import { readRecordedInferences } from '../src/what-if/read-recorded-inferences';
import { compareConfigs, formatWhatIf } from '../src/what-if/what-if-report';

/** `90m`, `24h`, `7d` → milliseconds. */
function durationMs(text: string): number {
  const match = /^(\d+)\s*(m|h|d)$/.exec(text.trim());
  if (!match) throw new Error(`--since: use a duration such as 90m, 24h or 7d, got "${text}"`);
  return Number(match[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      baseline: { type: 'string' },
      since: { type: 'string', default: '24h' },
      tenant: { type: 'string' },
      limit: { type: 'string', default: '1000' },
    },
  });
  if (!values.config)
    throw new Error('--config is required: the proposed gateway config (YAML) to compare against the baseline');
  const baselinePath = values.baseline ?? process.env.GATEWAY_CONFIG ?? defaultConfigPath;
  const proposed = loadConfig(values.config);
  const baseline = loadConfig(baselinePath);
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({
      connection,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      dataConverter: gatewayDataConverter(payloadCodecFromEnvironment()),
    });
    const { recorded, unreadable } = await readRecordedInferences(client, {
      since: new Date(Date.now() - durationMs(values.since)),
      tenant: values.tenant,
      limit: Number(values.limit),
    });
    console.log(
      `What-if on ${address}: baseline ${baselinePath}, proposed ${values.config}, since ${values.since}${values.tenant ? `, tenant ${values.tenant}` : ''}.\n`,
    );
    console.log(formatWhatIf(compareConfigs(baseline, proposed, recorded), recorded.length, unreadable));
  } finally {
    await connection.close();
  }
}

main().catch((error: Error) => {
  console.error(`what-if failed: ${error.message}`);
  process.exit(1);
});
