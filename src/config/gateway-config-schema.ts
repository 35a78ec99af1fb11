import { z } from 'zod';

const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'use letters, digits, ".", "_" or "-"');

const envVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as OPENAI_API_KEY');

/** Secrets are referenced by environment variable name; an inline key is rejected. */
const secretReference = z.strictObject({
  apiKeyEnv: envVarName,
});

export const regionSchema = z.strictObject({
  id: identifier,
  /** Base URL of the provider's API in this region. */
  baseUrl: z.url(),
});

export const accountSchema = z
  .strictObject({
    id: identifier,
    ...secretReference.shape,
    regions: z.array(regionSchema).min(1),
  });

export const providerKinds = ['openai', 'openai-compatible'] as const;

export const providerSchema = z.strictObject({
  id: identifier,
  kind: z.enum(providerKinds),
  /**
   * Per-attempt timeout for one provider call, in milliseconds.
   * @default 60000
   */
  timeoutMs: z.number().int().positive().default(60_000),
  accounts: z.array(accountSchema).min(1),
});

export const deploymentSchema = z.strictObject({
  provider: identifier,
  /** The provider's own model id. */
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
    config.modelGroups.forEach((group, groupIndex) => {
      group.deployments.forEach((deployment, deploymentIndex) => {
        const path = ['modelGroups', groupIndex, 'deployments', deploymentIndex];
        const provider = config.providers.find((candidate) => candidate.id === deployment.provider);
        if (!provider) {
          context.addIssue({ code: 'custom', path: [...path, 'provider'], message: `unknown provider "${deployment.provider}"` });
          return;
        }
        const account = provider.accounts.find((candidate) => candidate.id === deployment.account);
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
export type AccountConfig = z.infer<typeof accountSchema>;
export type DeploymentConfig = z.infer<typeof deploymentSchema>;
export type ModelGroupConfig = z.infer<typeof modelGroupSchema>;
