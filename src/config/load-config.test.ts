import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, parseConfig } from './load-config';

const valid = {
  providers: [
    {
      id: 'openai',
      kind: 'openai',
      accounts: [
        { id: 'primary', apiKeyEnv: 'OPENAI_API_KEY', regions: [{ id: 'us', baseUrl: 'https://api.openai.com/v1' }] },
      ],
    },
  ],
  modelGroups: [
    {
      name: 'chat-default',
      deployments: [{ provider: 'openai', model: 'gpt-4o-mini', account: 'primary', region: 'us' }],
    },
  ],
};

function configWith(change: (config: typeof valid) => void): unknown {
  const copy = structuredClone(valid);
  change(copy);
  return copy;
}

describe('gateway config', () => {
  it('loads the committed default config', () => {
    const config = loadConfig('config/gateway.yaml');
    assert.ok(config.modelGroups.some((group) => group.name === 'chat-default'));
  });

  it('rejects an attached guardrail policy that does not exist, a duplicate policy and a mask on a size check', () => {
    const guardrails = [{ name: 'pii', checks: [{ type: 'email', action: 'mask' }] }];
    const tenants = [
      { id: 'acme', guardrails: ['pii'], keys: [{ id: 'k', sha256: 'a'.repeat(64), guardrails: ['secrets'] }] },
    ];
    assert.throws(
      () => parseConfig({ ...valid, guardrails, tenants }),
      /tenants\.0\.keys\.0\.guardrails\.0: unknown guardrail policy "secrets"/,
    );
    assert.throws(
      () => parseConfig(configWith((config) => Object.assign(config.modelGroups[0]!, { guardrails: ['nope'] }))),
      /modelGroups\.0\.guardrails\.0: unknown guardrail policy "nope"/,
    );
    assert.throws(
      () => parseConfig({ ...valid, guardrails: [...guardrails, ...guardrails] }),
      /duplicate guardrail policy "pii"/,
    );
    assert.throws(
      () =>
        parseConfig({
          ...valid,
          guardrails: [{ name: 'size', checks: [{ type: 'size', maxChars: 10, action: 'mask' }] }],
        }),
      /guardrails\.0\.checks\.0\.action/,
    );
    assert.throws(
      () =>
        parseConfig({
          ...valid,
          guardrails: [{ name: 'flowing', stream: 'flow', checks: [{ type: 'email', action: 'mask' }] }],
        }),
      /guardrails\.0\.stream: a policy with stream: flow cannot mask the output/,
    );
    assert.equal(
      parseConfig({
        ...valid,
        guardrails: [{ name: 'flowing', stream: 'flow', checks: [{ type: 'email', action: 'mask', on: ['input'] }] }],
      }).guardrails[0]?.stream,
      'flow',
    );
    const parsed = parseConfig({
      ...valid,
      guardrails,
      tenants: [{ ...tenants[0], keys: [{ id: 'k', sha256: 'a'.repeat(64) }] }],
    });
    assert.deepEqual(parsed.guardrails[0], {
      name: 'pii',
      enabled: true,
      stream: 'hold',
      checks: [{ type: 'email', action: 'mask', on: ['input', 'output'] }],
    });
  });

  it('checks remote guardrail checks: a Bedrock account and region of providers, no inline secret, no remote output check on a flowing stream', () => {
    const bedrock = {
      id: 'aws',
      kind: 'bedrock',
      accounts: [{ id: 'main', credentials: { type: 'profile', profile: 'gw' }, regions: [{ id: 'eu-west-1' }] }],
    };
    const withChecks = (checks: unknown[], stream = 'hold') => ({
      ...valid,
      providers: [...valid.providers, bedrock],
      guardrails: [{ name: 'remote', stream, checks }],
    });
    const check = {
      type: 'bedrock',
      guardrailIdentifier: 'gr-1',
      guardrailVersion: 'DRAFT',
      provider: 'aws',
      account: 'main',
      region: 'eu-west-1',
      action: 'mask',
    };
    const parsed = parseConfig(withChecks([check]));
    assert.deepEqual(parsed.guardrails[0]?.checks[0], {
      ...check,
      name: 'bedrock',
      on: ['input', 'output'],
      timeoutMs: 2_000,
      failMode: 'closed',
    });
    assert.throws(
      () => parseConfig(withChecks([{ ...check, provider: 'openai' }])),
      /guardrails\.0\.checks\.0\.provider: "openai" is not a bedrock provider/,
    );
    assert.throws(
      () => parseConfig(withChecks([{ ...check, account: 'other' }])),
      /checks\.0\.account: provider "aws" has no account "other"/,
    );
    assert.throws(
      () => parseConfig(withChecks([{ ...check, region: 'us-east-1' }])),
      /checks\.0\.region: account "main" has no region "us-east-1"/,
    );
    assert.throws(() => parseConfig(withChecks([{ ...check, guardrailVersion: 'latest' }])), /guardrailVersion/);
    const hook = {
      type: 'webhook',
      url: 'https://hooks.internal/verdict',
      headersFromEnv: { authorization: 'HOOK_TOKEN' },
    };
    assert.equal(parseConfig(withChecks([hook])).guardrails[0]?.checks[0]?.type, 'webhook');
    assert.throws(
      () => parseConfig(withChecks([{ ...hook, headersFromEnv: { authorization: 'Bearer abc' } }])),
      /environment variable name/,
    );
    assert.throws(() => parseConfig(withChecks([{ ...hook, headers: { authorization: 'Bearer abc' } }])), /headers/);
    assert.throws(() => parseConfig(withChecks([hook], 'flow')), /stream: flow cannot run a remote check/);
    assert.equal(parseConfig(withChecks([{ ...hook, on: ['input'] }], 'flow')).guardrails[0]?.stream, 'flow');
  });

  it('rejects a budget of 0 or less and a budget for an unknown tenant, naming the field', () => {
    const tenants = [{ id: 'acme', keys: [{ id: 'k', sha256: 'a'.repeat(64) }] }];
    assert.throws(
      () => parseConfig({ ...valid, tenants, budgets: { acme: { monthly: 0 } } }),
      /budgets\.acme\.monthly: a budget must be greater than 0/,
    );
    assert.throws(
      () => parseConfig({ ...valid, tenants, budgets: { acme: { monthly: 10, daily: -1 } } }),
      /budgets\.acme\.daily: a budget must be greater than 0/,
    );
    assert.throws(
      () => parseConfig({ ...valid, tenants, budgets: { globex: { monthly: 10 } } }),
      /budgets\.globex: unknown tenant "globex"/,
    );
    assert.equal(parseConfig({ ...valid, tenants, budgets: { acme: { monthly: 10 } } }).budgets.acme?.monthly, 10);
  });

  it('fills defaults such as the per-attempt timeout', () => {
    assert.equal(parseConfig(valid).providers[0]?.timeoutMs, 60_000);
  });

  it('names the path of a bad field, such as an unknown provider kind', () => {
    const bad = configWith((config) => {
      (config.providers[0] as { kind: string }).kind = 'carrier-pigeon';
    });
    assert.throws(
      () => parseConfig(bad),
      (error: unknown) => error instanceof ConfigError && /providers\.0\.kind/.test(error.message),
    );
  });

  it('rejects a secret written inline and says how to reference it', () => {
    const bad = configWith((config) => {
      (config.providers[0]!.accounts[0] as Record<string, unknown>).apiKey = 'sk-inline';
    });
    assert.throws(() => parseConfig(bad), /providers\.0\.accounts\.0: .*apiKey.*apiKeyEnv/);
  });

  it('rejects a deployment that points at an unknown provider, account or region', () => {
    const unknownRegion = configWith((config) => {
      config.modelGroups[0]!.deployments[0]!.region = 'mars';
    });
    assert.throws(
      () => parseConfig(unknownRegion),
      /modelGroups\.0\.deployments\.0\.region: account "primary" has no region "mars"/,
    );
    const unknownProvider = configWith((config) => {
      config.modelGroups[0]!.deployments[0]!.provider = 'nobody';
    });
    assert.throws(
      () => parseConfig(unknownProvider),
      /modelGroups\.0\.deployments\.0\.provider: unknown provider "nobody"/,
    );
  });

  it('reports unreadable files and invalid YAML with the path', () => {
    assert.throws(
      () => loadConfig('/nonexistent/gateway.yaml'),
      /Cannot read gateway config at \/nonexistent\/gateway\.yaml/,
    );
    const file = join(mkdtempSync(join(tmpdir(), 'gateway-config-')), 'broken.yaml');
    writeFileSync(file, 'providers: [unclosed');
    assert.throws(() => loadConfig(file), /is not valid YAML/);
  });

  it('rejects a Bedrock account without a region, naming the field', () => {
    const bad = {
      providers: [
        {
          id: 'aws',
          kind: 'bedrock',
          accounts: [
            {
              id: 'main',
              credentials: {
                type: 'static',
                accessKeyIdEnv: 'AWS_ACCESS_KEY_ID',
                secretAccessKeyEnv: 'AWS_SECRET_ACCESS_KEY',
              },
              regions: [],
            },
          ],
        },
      ],
      modelGroups: [
        {
          name: 'nova',
          deployments: [{ provider: 'aws', model: 'amazon.nova-lite-v1:0', account: 'main', region: 'us-east-1' }],
        },
      ],
    };
    assert.throws(
      () => parseConfig(bad),
      /providers\.0\.accounts\.0\.regions: a Bedrock account needs at least one region/,
    );
  });

  it('accepts Bedrock model ids and cross-Region inference profile ids', () => {
    const config = parseConfig({
      providers: [
        {
          id: 'aws',
          kind: 'bedrock',
          accounts: [{ id: 'main', credentials: { type: 'profile', profile: 'prod' }, regions: [{ id: 'us-east-1' }] }],
        },
      ],
      modelGroups: [
        {
          name: 'claude',
          deployments: ['anthropic.claude-sonnet', 'us.anthropic.claude-sonnet', 'global.anthropic.claude-sonnet'].map(
            (model) => ({ provider: 'aws', model, account: 'main', region: 'us-east-1' }),
          ),
        },
      ],
    });
    assert.equal(config.modelGroups[0]?.deployments.length, 3);
  });

  it('requires a base URL for an openai-compatible provider', () => {
    const bad = {
      providers: [
        {
          id: 'vllm',
          kind: 'openai-compatible',
          accounts: [{ id: 'onprem', apiKeyEnv: 'VLLM_KEY', regions: [{ id: 'dc1' }] }],
        },
      ],
      modelGroups: [
        { name: 'llama', deployments: [{ provider: 'vllm', model: 'llama', account: 'onprem', region: 'dc1' }] },
      ],
    };
    assert.throws(
      () => parseConfig(bad),
      /providers\.0\.accounts\.0\.regions\.0\.baseUrl: an openai-compatible provider needs a baseUrl/,
    );
  });

  it('rejects a fallback cycle, an unknown fallback group and a weight of zero, naming each field', () => {
    const base = (groups: unknown[]) => ({ providers: valid.providers, modelGroups: groups });
    const deployment = { provider: 'openai', model: 'gpt-4o-mini', account: 'primary', region: 'us' };
    assert.throws(
      () =>
        parseConfig(
          base([
            { name: 'a', fallbacks: ['b'], deployments: [deployment] },
            { name: 'b', fallbacks: ['a'], deployments: [deployment] },
          ]),
        ),
      /modelGroups\.0\.fallbacks: fallback cycle: a → b → a/,
    );
    assert.throws(
      () => parseConfig(base([{ name: 'a', fallbacks: ['nope'], deployments: [deployment] }])),
      /modelGroups\.0\.fallbacks\.0: unknown model group "nope"/,
    );
    assert.throws(
      () => parseConfig(base([{ name: 'a', deployments: [{ ...deployment, weight: 0 }] }])),
      /modelGroups\.0\.deployments\.0\.weight: weight must be greater than 0/,
    );
  });
});
