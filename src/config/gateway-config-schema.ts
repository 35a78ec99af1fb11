import { z } from 'zod';

const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'use letters, digits, ".", "_" or "-"');

const envVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as OPENAI_API_KEY');

/**
 * Per-attempt timeout for one provider call, in milliseconds.
 * @default 60000
 */
const timeoutMs = z.number().int().positive().default(60_000);

export const regionSchema = z.strictObject({
  /** The provider's region name; for Bedrock, the AWS region such as us-east-1. */
  id: identifier,
  /** Base URL of the provider's API in this region; the provider's public endpoint when omitted. */
  baseUrl: z.url().optional(),
});

/** Secrets are referenced by environment variable name; an inline key is rejected. */
const apiKeyAccountSchema = z.strictObject({
  id: identifier,
  apiKeyEnv: envVarName,
  regions: z.array(regionSchema).min(1),
});

export const bedrockCredentialsSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('static'), accessKeyIdEnv: envVarName, secretAccessKeyEnv: envVarName, sessionTokenEnv: envVarName.optional() }),
  z.strictObject({ type: z.literal('profile'), profile: z.string().min(1) }),
  z.strictObject({ type: z.literal('assumeRole'), roleArn: z.string().startsWith('arn:'), sessionName: z.string().min(1).default('inference-gateway') }),
]);

const bedrockAccountSchema = z.strictObject({
  id: identifier,
  credentials: bedrockCredentialsSchema,
  regions: z.array(regionSchema).min(1, 'a Bedrock account needs at least one region'),
});

export const providerKinds = ['openai', 'openai-compatible', 'anthropic', 'bedrock'] as const;

export const providerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ id: identifier, kind: z.literal('openai'), timeoutMs, accounts: z.array(apiKeyAccountSchema).min(1) }),
  z.strictObject({ id: identifier, kind: z.literal('openai-compatible'), timeoutMs, accounts: z.array(apiKeyAccountSchema).min(1) }),
  z.strictObject({
    id: identifier,
    kind: z.literal('anthropic'),
    timeoutMs,
    /**
     * max_tokens sent when the client gives none (Anthropic requires it).
     * @default 4096
     */
    defaultMaxTokens: z.number().int().positive().default(4096),
    accounts: z.array(apiKeyAccountSchema).min(1),
  }),
  z.strictObject({ id: identifier, kind: z.literal('bedrock'), timeoutMs, accounts: z.array(bedrockAccountSchema).min(1) }),
]);

export const deploymentSchema = z.strictObject({
  provider: identifier,
  /** The provider's own model id (for Bedrock, a model id or a cross-Region inference profile id). */
  model: z.string().min(1),
  account: identifier,
  region: identifier,
});

export const modelGroupSchema = z.strictObject({
  /** The public model name that clients send. */
  name: z.string().min(1),
  deployments: z.array(deploymentSchema).min(1),
});

export const gatewayConfigSchema = z
  .strictObject({
    providers: z.array(providerSchema).min(1),
    modelGroups: z.array(modelGroupSchema).min(1),
  })
  .superRefine((config, context) => {
    config.providers.forEach((provider, providerIndex) => {
      if (provider.kind !== 'openai-compatible') return;
      provider.accounts.forEach((account, accountIndex) => {
        account.regions.forEach((region, regionIndex) => {
          if (!region.baseUrl) {
            context.addIssue({ code: 'custom', path: ['providers', providerIndex, 'accounts', accountIndex, 'regions', regionIndex, 'baseUrl'], message: 'an openai-compatible provider needs a baseUrl' });
          }
        });
      });
    });
    config.modelGroups.forEach((group, groupIndex) => {
      group.deployments.forEach((deployment, deploymentIndex) => {
        const path = ['modelGroups', groupIndex, 'deployments', deploymentIndex];
        const provider = config.providers.find((candidate) => candidate.id === deployment.provider);
        if (!provider) {
          context.addIssue({ code: 'custom', path: [...path, 'provider'], message: `unknown provider "${deployment.provider}"` });
          return;
        }
        const accounts: Array<{ id: string; regions: Array<{ id: string }> }> = provider.accounts;
        const account = accounts.find((candidate) => candidate.id === deployment.account);
        if (!account) {
          context.addIssue({ code: 'custom', path: [...path, 'account'], message: `provider "${provider.id}" has no account "${deployment.account}"` });
          return;
        }
        if (!account.regions.some((region) => region.id === deployment.region)) {
          context.addIssue({ code: 'custom', path: [...path, 'region'], message: `account "${account.id}" has no region "${deployment.region}"` });
        }
      });
    });
    const names = config.modelGroups.map((group) => group.name);
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) {
        context.addIssue({ code: 'custom', path: ['modelGroups', index, 'name'], message: `duplicate model group "${name}"` });
      }
    });
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type AccountConfig = ProviderConfig['accounts'][number];
export type BedrockCredentialsConfig = z.infer<typeof bedrockCredentialsSchema>;
export type DeploymentConfig = z.infer<typeof deploymentSchema>;
export type ModelGroupConfig = z.infer<typeof modelGroupSchema>;
