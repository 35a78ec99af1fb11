// `npm run demo:quota`: quota-driven fallback (a primary's RPM runs out, the overflow goes to the
// next priority) on the simulator and a real Temporal dev server, printed as distribution tables.
import OpenAI from 'openai';
import { startTestStack } from '../test/helpers/test-gateway';
import { quotaFallbackConfig, quotaEnvironment } from './quota-fallback-config';

const scenarios = [
  { group: 'quota-one-primary', title: '(a) primary at 3 RPM, fallback at 25 RPM' },
  { group: 'quota-two-primaries', title: '(b) two primaries at 3 RPM each, fallback at 25 RPM' },
];

async function main(): Promise<void> {
  const stack = await startTestStack(quotaFallbackConfig, quotaEnvironment);
  const { simulator } = stack;
  const openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  try {
    for (const { group, title } of scenarios) {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          openai.chat.completions
            .create({ model: group, messages: [{ role: 'user', content: 'demo' }], max_tokens: 8 })
            .withResponse(),
        ),
      );
      const served: Record<string, number> = {};
      for (const result of results) {
        const account =
          result.status === 'fulfilled'
            ? (result.value.response.headers.get('x-gateway-account') ?? '?')
            : `failed (${(result.reason as Error).message})`;
        served[account] = (served[account] ?? 0) + 1;
      }
      console.log(`\n${title}: 10 concurrent requests`);
      console.log('| account | served | simulator calls |');
      console.log('|---|---|---|');
      for (const [account, count] of Object.entries(served)) {
        console.log(`| ${account} | ${count} | ${simulator.callCount(`openai/${account}/us/${group}-model`)} |`);
      }
      console.log(`succeeded: ${results.filter((result) => result.status === 'fulfilled').length}/10`);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
