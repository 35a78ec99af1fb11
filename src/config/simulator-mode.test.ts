import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewayConfigSchema } from './gateway-config-schema';
import { hasNoProviderKeys, routeEverythingToSimulator } from './simulator-mode';

const config = gatewayConfigSchema.parse({
  providers: [
    { id: 'openai', kind: 'openai', accounts: [{ id: 'oa-1', apiKeyEnv: 'OPENAI_KEY', regions: [{ id: 'us' }] }] },
    {
      id: 'vllm',
      kind: 'openai-compatible',
      accounts: [{ id: 'local', apiKeyEnv: 'VLLM_KEY', regions: [{ id: 'lab', baseUrl: 'http://vllm:8000/v1' }] }],
    },
    {
      id: 'anthropic',
      kind: 'anthropic',
      accounts: [{ id: 'an-1', apiKeyEnv: 'ANTHROPIC_KEY', regions: [{ id: 'eu', residency: 'eu' }] }],
    },
    {
      id: 'bedrock',
      kind: 'bedrock',
      accounts: [
        {
          id: 'aws-static',
          credentials: { type: 'static', accessKeyIdEnv: 'AWS_ID', secretAccessKeyEnv: 'AWS_SECRET' },
          regions: [{ id: 'us-east-1' }, { id: 'eu-west-1' }],
        },
        { id: 'aws-profile', credentials: { type: 'profile', profile: 'default' }, regions: [{ id: 'us-west-2' }] },
      ],
    },
  ],
  modelGroups: [
    { name: 'chat', deployments: [{ provider: 'openai', model: 'gpt-4o', account: 'oa-1', region: 'us' }] },
  ],
});

const simulator = {
  url: 'http://sim',
  openAIBaseUrl: (region: string) => `http://sim/regions/${region}/v1`,
  anthropicBaseUrl: (region: string) => `http://sim/regions/${region}`,
};

describe('simulator mode', () => {
  it('serves from the simulator only when no account of any kind has its key set', () => {
    assert.equal(hasNoProviderKeys(config, {}), true);
    for (const variable of ['OPENAI_KEY', 'VLLM_KEY', 'ANTHROPIC_KEY', 'AWS_ID'])
      assert.equal(hasNoProviderKeys(config, { [variable]: 'set' }), false, variable);
    // A secret alone or a profile is not a key the gateway can see.
    assert.equal(hasNoProviderKeys(config, { AWS_SECRET: 'set' }), true);
  });

  it("points each kind's regions at its wire format and gives each account a stand-in key", () => {
    const { config: simulated, environment } = routeEverythingToSimulator(config, simulator);
    assert.deepEqual(environment, {
      GATEWAY_SIMULATOR_KEY_OA_1: 'oa-1',
      GATEWAY_SIMULATOR_KEY_LOCAL: 'local',
      GATEWAY_SIMULATOR_KEY_AN_1: 'an-1',
      GATEWAY_SIMULATOR_KEY_AWS_STATIC: 'aws-static',
      GATEWAY_SIMULATOR_KEY_AWS_PROFILE: 'aws-profile',
    });
    const [openai, vllm, anthropic, bedrock] = simulated.providers.map((provider) => provider.accounts);
    assert.deepEqual(openai, [
      {
        id: 'oa-1',
        apiKeyEnv: 'GATEWAY_SIMULATOR_KEY_OA_1',
        regions: [{ id: 'us', baseUrl: 'http://sim/regions/us/v1' }],
      },
    ]);
    assert.deepEqual(vllm?.[0]?.regions, [{ id: 'lab', baseUrl: 'http://sim/regions/lab/v1' }]);
    assert.deepEqual(anthropic, [
      {
        id: 'an-1',
        apiKeyEnv: 'GATEWAY_SIMULATOR_KEY_AN_1',
        regions: [{ id: 'eu', residency: 'eu', baseUrl: 'http://sim/regions/eu' }],
      },
    ]);
    assert.deepEqual(
      bedrock?.map((account) => [account.id, 'credentials' in account && account.credentials, account.regions]),
      [
        [
          'aws-static',
          {
            type: 'static',
            accessKeyIdEnv: 'GATEWAY_SIMULATOR_KEY_AWS_STATIC',
            secretAccessKeyEnv: 'GATEWAY_SIMULATOR_KEY_AWS_STATIC',
          },
          [
            { id: 'us-east-1', baseUrl: 'http://sim' },
            { id: 'eu-west-1', baseUrl: 'http://sim' },
          ],
        ],
        [
          'aws-profile',
          {
            type: 'static',
            accessKeyIdEnv: 'GATEWAY_SIMULATOR_KEY_AWS_PROFILE',
            secretAccessKeyEnv: 'GATEWAY_SIMULATOR_KEY_AWS_PROFILE',
          },
          [{ id: 'us-west-2', baseUrl: 'http://sim' }],
        ],
      ],
    );
    assert.deepEqual(
      simulated.providers.map((provider) => [provider.id, provider.kind, provider.timeoutMs]),
      config.providers.map((provider) => [provider.id, provider.kind, provider.timeoutMs]),
    );
  });
});
