import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GatewayConfig, ProviderConfig } from '../../src/config/gateway-config-schema';
import { gatewayErrorTypes, type GatewayErrorType } from '../../src/providers/gateway-error-types';
import { ProviderCallError } from '../../src/providers/provider-error';
import { adapterFor, createProviderRegistry } from '../../src/providers/provider-registry';
import type { FaultKind, SimulatedProvider } from '../../src/simulator/simulator-faults';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator';
import { simulatorConfig, testProviderEnvironment } from '../helpers/test-gateway';

// Each row starts from what the provider sends (the simulator answers in the provider's own status,
// body and headers) and checks, through the official SDK, the gateway type and whether it is transient.
const rows: Array<{ fault: FaultKind; type: GatewayErrorType }> = [
  { fault: 'invalid_request', type: 'InvalidRequest' },
  { fault: 'context_window', type: 'ContextWindowExceeded' },
  { fault: 'request_too_large', type: 'RequestTooLarge' },
  { fault: 'authentication', type: 'Authentication' },
  { fault: 'permission_denied', type: 'PermissionDenied' },
  { fault: 'model_not_found', type: 'ModelNotFound' },
  { fault: 'quota_exhausted', type: 'QuotaExhausted' },
  { fault: 'rate_limited', type: 'RateLimited' },
  { fault: 'overloaded', type: 'Overloaded' },
  { fault: 'server_error', type: 'ServerError' },
  { fault: 'timeout', type: 'Timeout' },
  { fault: 'malformed', type: 'ServerError' },
  { fault: 'hang', type: 'Timeout' },
];

const providers: Array<{ simulated: SimulatedProvider; providerId: string }> = [
  { simulated: 'openai', providerId: 'openai' },
  { simulated: 'anthropic', providerId: 'anthropic' },
  { simulated: 'bedrock', providerId: 'bedrock' },
];

describe('error taxonomy through the official SDKs', () => {
  let simulator: RunningSimulator;
  let config: GatewayConfig;
  const registry = createProviderRegistry();

  before(async () => {
    simulator = await startSimulator();
    const base = simulatorConfig(simulator);
    // A short attempt timeout so the "hang" rows end quickly.
    config = { ...base, providers: base.providers.map((provider) => ({ ...provider, timeoutMs: 1_500 })) };
  });
  after(async () => simulator?.stop());

  function call(providerId: string) {
    const provider = config.providers.find((candidate) => candidate.id === providerId) as ProviderConfig;
    const deployment = config.modelGroups
      .flatMap((group) => group.deployments)
      .find((candidate) => candidate.provider === providerId)!;
    const account = (provider.accounts as Array<ProviderConfig['accounts'][number]>).find(
      (candidate) => candidate.id === deployment.account,
    )!;
    return adapterFor(registry, provider).chat({
      model: deployment.model,
      request: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello' },
        ],
      },
      provider,
      account,
      region: account.regions[0]!,
      environment: testProviderEnvironment,
    });
  }

  for (const { simulated, providerId } of providers) {
    describe(simulated, () => {
      for (const row of rows) {
        it(`${row.fault} → ${row.type} (${gatewayErrorTypes[row.type].transient ? 'transient' : 'deterministic'})`, async () => {
          simulator.setFaults([{ match: { provider: simulated }, error: row.fault, retryAfterSeconds: 2 }]);
          const error = await call(providerId).then(
            () => assert.fail('the call should have failed'),
            (thrown: unknown) => thrown,
          );
          assert.ok(error instanceof ProviderCallError, `expected a ProviderCallError, got ${String(error)}`);
          assert.equal(error.details.type, row.type, error.details.message);
          if (row.fault === 'rate_limited' || row.fault === 'overloaded') {
            assert.equal(error.details.retryAfterMs, 2_000, 'the Retry-After hint is kept');
          }
          if (!['malformed', 'hang'].includes(row.fault)) assert.ok(error.details.status, 'the raw status is kept');
        });
      }

      it('content_filtered → a completed response whose finish reason says so', async () => {
        simulator.setFaults([{ match: { provider: simulated }, error: 'content_filtered' }]);
        const response = await call(providerId);
        assert.equal(response.finishReason, 'content_filter');
      });
    });
  }

  it('keeps a request Bedrock cannot take (an image by URL) a deterministic InvalidRequest, with no provider call', async () => {
    simulator.setFaults([]);
    simulator.calls.clear();
    const provider = config.providers.find((candidate) => candidate.id === 'bedrock') as ProviderConfig;
    const account = provider.accounts[0]!;
    const error = await adapterFor(registry, provider)
      .chat({
        model: 'us.amazon.nova-lite-v1:0',
        request: {
          messages: [
            { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] },
          ],
        },
        provider,
        account,
        region: account.regions[0]!,
        environment: testProviderEnvironment,
      })
      .then(
        () => assert.fail('should fail'),
        (thrown: unknown) => thrown,
      );
    assert.ok(error instanceof ProviderCallError);
    assert.equal(error.details.type, 'InvalidRequest');
    assert.equal(simulator.callCount(), 0);
  });
});
