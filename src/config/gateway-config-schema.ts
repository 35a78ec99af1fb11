import { z } from 'zod';
import type { BedrockCredentialsConfig } from '../providers/bedrock/bedrock-provider-config';
import type { ProviderConfigBase } from '../providers/provider-config-fields';
import { providerConfigSchemas, providerKindModule } from '../providers/provider-kinds';
import { envVarName, identifier } from './config-fields';

/** One of the provider kinds of provider-kinds.ts, told apart by `kind`. */
export const providerSchema = z.discriminatedUnion('kind', providerConfigSchemas);

/** Prices in currency units per million tokens, for cost ceilings, budgets and usage. */
const pricingSchema = z.strictObject({
  inputPerMillion: z.number().nonnegative(),
  outputPerMillion: z.number().nonnegative(),
  /** Price of prompt tokens served from the provider's cache; the input price when omitted. */
  cachedInputPerMillion: z.number().nonnegative().optional(),
});

export const deploymentSchema = z.strictObject({
  provider: identifier,
  /** The provider's own model id (for Bedrock, a model id or a cross-Region inference profile id). */
  model: z.string().min(1),
  account: identifier,
  region: identifier,
  /**
   * Lower is tried first; deployments of equal priority share traffic by weight.
   * @default 0
   */
  priority: z.number().int().min(0).default(0),
  /**
   * Share of traffic among deployments of the same priority (weighted shuffle).
   * @default 1
   */
  weight: z.number().gt(0, 'weight must be greater than 0').default(1),
  /** Requests per minute this account may send to this model in this region. */
  rpm: z.number().int().positive().optional(),
  /** Tokens per minute this account may send to this model in this region. */
  tpm: z.number().int().positive().optional(),
  /** The model's context window in tokens; requests estimated larger skip this deployment. */
  contextWindow: z.number().int().positive().optional(),
  /** What the model can do; a request that needs a missing capability skips the deployment. */
  capabilities: z
    .strictObject({
      tools: z.boolean().default(true),
      vision: z.boolean().default(true),
      jsonMode: z.boolean().default(true),
    })
    .default({ tools: true, vision: true, jsonMode: true }),
  /** Prices in currency units per million tokens; the config's `prices` entry for the model when omitted. */
  pricing: pricingSchema.optional(),
});

/** What a model group serves: chat (`/v1/chat/completions`, `/v1/messages`) or embeddings (`/v1/embeddings`). */
export const operations = ['chat', 'embeddings'] as const;
export type Operation = (typeof operations)[number];

export const modelGroupSchema = z.strictObject({
  /** The public model name that clients send. */
  name: z.string().min(1),
  /**
   * What the group serves. A chat request never routes to an `embeddings` group, nor an
   * embedding request to a `chat` group; a group's fallbacks serve the same operation.
   * @default 'chat'
   */
  operation: z.enum(operations).default('chat'),
  /**
   * A quality rank used by quality floors: a fallback group of lower quality is a downgrade.
   * @default 0
   */
  quality: z.number().int().default(0),
  deployments: z.array(deploymentSchema).min(1),
  /**
   * Exact response cache for this group (off when absent): an answer is reused for the same
   * tenant, group and whole request until it is `ttlSeconds` old. A tenant or key may opt out.
   */
  cache: z
    .strictObject({
      ttlSeconds: z
        .number()
        .int()
        .positive()
        .max(30 * 24 * 3600),
      /**
       * Semantic cache (off when absent): an answer is also reused for a request whose last user
       * message means the same (cosine similarity at least `threshold`, and the guards of
       * docs/caching.md pass) when everything else about the request is equal.
       */
      semantic: z
        .strictObject({
          /**
           * Lowest cosine similarity that counts as the same question.
           * @default 0.95
           */
          threshold: z.number().min(0.9).max(1).default(0.95),
          /** An `embeddings` model group the gateway routes the embedding through; the local all-MiniLM-L6-v2 embedder when absent. */
          embeddingModelGroup: z.string().min(1).optional(),
        })
        .optional(),
    })
    .optional(),
  /** Other model groups to fall back to, in order, once this group's deployments are exhausted. */
  fallbacks: z.array(z.string().min(1)).default([]),
  /**
   * How the region step orders regions of equal tier and priority: `weighted`, a weighted shuffle
   * at every step; `latency`, the lowest latency average first (a region not measured yet, by
   * traffic or probes, comes after the measured ones), the weighted shuffle breaking ties.
   * @default 'weighted'
   */
  routingStrategy: z.enum(['weighted', 'latency']).default('weighted'),
  /**
   * A request field a route cannot honour (e.g. `logprobs` on Anthropic): `drop` leaves it out and
   * names it in `x-gateway-dropped-params`; `reject` fails the request with 400 instead.
   * @default 'drop'
   */
  unsupportedParameters: z.enum(['drop', 'reject']).default('drop'),
  /** Guardrail policies (by name) every request to this group meets. */
  guardrails: z.array(identifier).optional(),
});

const trafficClassSchema = z.strictObject({
  /** Most distinct routes one inference may try. */
  maxRoutes: z.number().int().positive(),
  /** Most provider calls one inference may make, retries included. */
  maxAttempts: z.number().int().positive(),
  /** Time after which no new attempt starts, in milliseconds. */
  deadlineMs: z.number().int().positive(),
  /** Calls per route for a transient error (1 = no retry on the same route). */
  attemptsPerRoute: z.number().int().positive(),
  /** `primary`: only routes whose group quality is at least the requested group's. */
  qualityFloor: z.enum(['primary', 'none']),
  /** Whether fallback model groups may be used at all. */
  fallback: z.boolean(),
  /** Most a single inference may be estimated to cost, in currency units. */
  costCeiling: z.number().positive().optional(),
  /**
   * Wait durably (Temporal timers) instead of failing when every route is out of quota or the
   * tenant's budget refuses this class, as long as the wait ends before the deadline.
   */
  defer: z.boolean().optional(),
  /**
   * How each provider call runs: `local`, a local activity, so the start, the four selection
   * steps, the call and the completion are one workflow task (fastest; a same-route retry is a
   * workflow timer); `activity`, a regular activity, retried by Temporal, for long calls that
   * should outlive any one worker without a re-run of the selection steps.
   */
  invoke: z.enum(['local', 'activity']).optional(),
});

export const trafficClassNames = ['critical', 'standard', 'background', 'batch', 'experiment'] as const;
export type TrafficClassName = (typeof trafficClassNames)[number];

/** The defaults each traffic class starts from; config may override any field. */
export const defaultTrafficClasses: Record<TrafficClassName, z.infer<typeof trafficClassSchema>> = {
  critical: {
    maxRoutes: 4,
    maxAttempts: 8,
    deadlineMs: 120_000,
    attemptsPerRoute: 2,
    qualityFloor: 'primary',
    fallback: true,
    invoke: 'local',
  },
  standard: {
    maxRoutes: 3,
    maxAttempts: 6,
    deadlineMs: 60_000,
    attemptsPerRoute: 2,
    qualityFloor: 'none',
    fallback: true,
    invoke: 'local',
  },
  background: {
    maxRoutes: 4,
    maxAttempts: 8,
    deadlineMs: 300_000,
    attemptsPerRoute: 2,
    qualityFloor: 'none',
    fallback: true,
    defer: true,
    invoke: 'activity',
  },
  // A day, like the completion windows of providers' batch APIs: long enough to wait for the next budget day.
  batch: {
    maxRoutes: 5,
    maxAttempts: 10,
    deadlineMs: 86_400_000,
    attemptsPerRoute: 3,
    qualityFloor: 'none',
    fallback: true,
    defer: true,
    invoke: 'activity',
  },
  experiment: {
    maxRoutes: 1,
    maxAttempts: 1,
    deadlineMs: 30_000,
    attemptsPerRoute: 1,
    qualityFloor: 'none',
    fallback: false,
    invoke: 'local',
  },
};

const routingSchema = z.strictObject({
  circuitBreaker: z
    .strictObject({
      /** Consecutive transient failures that open a route's circuit. */
      failureThreshold: z.number().int().positive().default(3),
      /** How long an open circuit stays open before one trial call (half-open). */
      cooldownMs: z.number().int().positive().default(30_000),
    })
    .default({ failureThreshold: 3, cooldownMs: 30_000 }),
  /**
   * Seconds between active health probes of every route (a Temporal Schedule); 0 turns them off.
   * @default 10
   */
  probeIntervalSeconds: z.number().int().min(0).default(10),
  /**
   * Weight of the newest sample in each route's latency EWMA.
   * @default 0.3
   */
  latencyEwmaAlpha: z.number().gt(0).max(1).default(0.3),
  sticky: z
    .strictObject({
      /**
       * How long a session stays bound to its route after its last request, in seconds.
       * @default 1800
       */
      ttlSeconds: z.number().int().positive().default(1800),
      /**
       * Use OpenAI's `user` field as the session when a request sends no x-session-id.
       * @default false
       */
      sessionFromUser: z.boolean().default(false),
    })
    .default({ ttlSeconds: 1800, sessionFromUser: false }),
});

/** The built-in, offline pattern checks of a guardrail policy (see docs/guardrails.md). */
export const builtInGuardrailPatterns = [
  'email',
  'phone',
  'payment_card',
  'us_ssn',
  'uk_nino',
  'aws_access_key',
  'private_key',
  'api_token',
] as const;

/** Where a check reads: the request's every message, part and tool-call argument, or the answer. */
const guardrailStages = z
  .array(z.enum(['input', 'output']))
  .min(1)
  .default(['input', 'output']);
/** `block` refuses with 400 content_blocked; `mask` replaces each match with the label; `log` only records the verdict. */
const patternAction = z.enum(['block', 'mask', 'log']);
const verdictAction = z.enum(['block', 'log']);
/**
 * How long a remote check (Bedrock Guardrails, webhook) may take before it counts as failed.
 * @default 2000
 */
const remoteTimeoutMs = z.number().int().positive().max(60_000).default(2_000);
/**
 * What a remote check that fails (timeout, error, unreadable verdict) does: `closed` refuses the
 * request with 503 `guardrail_unavailable`; `open` lets it through with a `log` verdict that records the failure.
 * @default 'closed'
 */
const failMode = z.enum(['open', 'closed']).default('closed');
/** The text a `mask` puts in place of a match, such as `[EMAIL]`; `[<CHECK NAME>]` when omitted. */
const maskLabel = z.string().min(1).max(100).optional();

export const guardrailCheckSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.enum(builtInGuardrailPatterns),
    action: patternAction,
    on: guardrailStages,
    label: maskLabel,
  }),
  z.strictObject({
    type: z.literal('regex'),
    /** Names the check in verdicts, errors and metrics. */
    name: identifier,
    pattern: z
      .string()
      .min(1)
      .refine((pattern) => compiles(pattern), 'must be a valid regular expression'),
    /** Regular expression flags besides `g`, such as `i`. */
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'use only the flags i, m, s and u')
      .default(''),
    action: patternAction,
    on: guardrailStages,
    label: maskLabel,
  }),
  z.strictObject({
    type: z.literal('deny_list'),
    name: identifier.default('deny_list'),
    /** Words and phrases, matched whole and case-insensitively. */
    terms: z.array(z.string().trim().min(1)).min(1),
    action: patternAction,
    on: guardrailStages,
    label: maskLabel,
  }),
  z.strictObject({
    type: z.literal('size'),
    name: identifier.default('size'),
    /** Most characters of text the request (every message) or the answer may hold. */
    maxChars: z.number().int().positive(),
    action: verdictAction,
    on: guardrailStages,
  }),
  /** The answer to a request with `response_format: json_schema` must be JSON valid against its schema. */
  z.strictObject({ type: z.literal('json_schema'), action: verdictAction }),
  /** Amazon Bedrock Guardrails (ApplyGuardrail) in a Bedrock account and region of `providers`. */
  z.strictObject({
    type: z.literal('bedrock'),
    name: identifier.default('bedrock'),
    guardrailIdentifier: z.string().min(1),
    /** A version number or `DRAFT`. */
    guardrailVersion: z.string().regex(/^(?:[1-9]\d{0,7}|DRAFT)$/, 'a version number or DRAFT'),
    /** The Bedrock provider, account and region whose credentials and endpoint the call uses, as a deployment names them. */
    provider: identifier,
    account: identifier,
    region: identifier,
    /** What an intervention does: `block`, `mask` (the texts Bedrock returned replace the request's or answer's), or `log`. */
    action: patternAction,
    on: guardrailStages,
    timeoutMs: remoteTimeoutMs,
    failMode,
  }),
  /** An HTTP service that answers `{action: pass | block | mask, texts?}` for `{stage, texts, policy, check}`. */
  z.strictObject({
    type: z.literal('webhook'),
    name: identifier.default('webhook'),
    url: z.url(),
    /** Request headers whose values are read from these environment variables (a token, say), never written inline. */
    headersFromEnv: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name'), envVarName).default({}),
    on: guardrailStages,
    timeoutMs: remoteTimeoutMs,
    failMode,
  }),
]);

export const guardrailPolicySchema = z
  .strictObject({
    name: identifier,
    /**
     * `false` turns the policy off wherever it is attached.
     * @default true
     */
    enabled: z.boolean().default(true),
    /**
     * How a streamed answer meets the output checks: `hold` keeps it until the whole answer passed,
     * then streams it; `flow` streams at once, checks the answer so far at each piece and ends the
     * stream with an error event when a check blocks (an output `mask` cannot flow).
     * @default 'hold'
     */
    stream: z.enum(['hold', 'flow']).default('hold'),
    checks: z.array(guardrailCheckSchema).min(1),
  })
  .refine(
    (policy) =>
      policy.stream !== 'flow' ||
      !policy.checks.some(
        (check) => 'action' in check && check.action === 'mask' && 'on' in check && check.on.includes('output'),
      ),
    {
      message:
        'a policy with stream: flow cannot mask the output (a match may span pieces already sent); use block or log, or stream: hold',
      path: ['stream'],
    },
  )
  .refine(
    (policy) =>
      policy.stream !== 'flow' ||
      !policy.checks.some(
        (check) => (check.type === 'bedrock' || check.type === 'webhook') && check.on.includes('output'),
      ),
    {
      message:
        'a policy with stream: flow cannot run a remote check (bedrock, webhook) on the output: a call per piece is too slow; use stream: hold',
      path: ['stream'],
    },
  );

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Guardrail policies (by name) a tenant, key or model group has attached; on wherever attached. */
const attachedGuardrails = z.array(identifier).optional();

/** Most a single request may hold: a key's override its tenant's. */
const requestMaximaFields = {
  /** Most messages in one request. */
  maxMessages: z.number().int().positive().optional(),
  /** Most prompt tokens in one request (counted with the gateway's tokenizer). */
  maxPromptTokens: z.number().int().positive().optional(),
  /** Most output tokens one request may ask for; also the cap when it asks for none. */
  maxOutputTokens: z.number().int().positive().optional(),
};

const keySchema = z.strictObject({
  /** A short, non-secret name for the key, used in logs and the audit. */
  id: identifier,
  /** SHA-256 of the key, hex. Keys are never stored in plaintext: `npm run key:create` prints both. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64-character hex SHA-256 of the key (npm run key:create)'),
  /** Model groups this key may use; the tenant's when omitted. */
  modelGroups: z.array(z.string().min(1)).optional(),
  rpm: z.number().int().positive().optional(),
  /** Tokens per minute for this key (prompt estimate plus max output, reconciled by real usage). */
  tpm: z.number().int().positive().optional(),
  /** Traffic classes this key may send; the tenant's when omitted. */
  trafficClasses: z.array(z.enum(trafficClassNames)).min(1).optional(),
  defaultTrafficClass: z.enum(trafficClassNames).optional(),
  /** `false`: this key's requests never read or write the response cache. */
  cache: z.boolean().optional(),
  /** An admin key also reads every tenant's usage. */
  admin: z.boolean().default(false),
  guardrails: attachedGuardrails,
  ...requestMaximaFields,
});

const tenantSchema = z.strictObject({
  id: identifier,
  /** Requests per minute for the whole tenant; other tenants are never affected by it. */
  rpm: z.number().int().positive().optional(),
  /** Tokens per minute for the whole tenant. */
  tpm: z.number().int().positive().optional(),
  modelGroups: z.array(z.string().min(1)).optional(),
  /** Traffic classes the tenant's keys may send; all when omitted. */
  trafficClasses: z.array(z.enum(trafficClassNames)).min(1).optional(),
  allowedProviders: z.array(identifier).optional(),
  /** Data-residency zone; only regions labelled with it may serve this tenant. */
  residency: z.string().min(1).optional(),
  defaultTrafficClass: z.enum(trafficClassNames).default('standard'),
  /** `false`: the tenant's requests never read or write the response cache. */
  cache: z.boolean().optional(),
  guardrails: attachedGuardrails,
  ...requestMaximaFields,
  keys: z.array(keySchema).min(1),
});

const budgetAmount = z.number().positive('a budget must be greater than 0');

const budgetSchema = z.strictObject({
  /** Spend allowed per calendar month (UTC). */
  monthly: budgetAmount,
  /** Spend allowed per day (UTC), on top of the monthly limit. */
  daily: budgetAmount.optional(),
});

const gatewayConfigShape = z.strictObject({
  providers: z.array(providerSchema).min(1),
  modelGroups: z.array(modelGroupSchema).min(1),
  routing: routingSchema.default({
    circuitBreaker: { failureThreshold: 3, cooldownMs: 30_000 },
    probeIntervalSeconds: 10,
    latencyEwmaAlpha: 0.3,
    sticky: { ttlSeconds: 1800, sessionFromUser: false },
  }),
  /** Overrides of the traffic classes' defaults, field by field. */
  trafficClasses: z.partialRecord(z.enum(trafficClassNames), trafficClassSchema.partial()).default({}),
  /** Tenants and their gateway keys (stored as hashes). */
  tenants: z.array(tenantSchema).default([]),
  /** Budgets by tenant id, in the currency units of `pricing` and `prices`. */
  budgets: z.record(z.string(), budgetSchema).default({}),
  /** Prices by provider model id, for deployments that give none of their own. */
  prices: z.record(z.string(), pricingSchema).default({}),
  /** Guardrail policies, attached by name to tenants, keys and model groups. */
  guardrails: z.array(guardrailPolicySchema).default([]),
});

export const gatewayConfigSchema = gatewayConfigShape.superRefine((config, context) => {
  config.providers.forEach((provider, providerIndex) => {
    providerKindModule(provider.kind).checkConfig?.(provider as ProviderConfigBase, (path, message) =>
      context.addIssue({ code: 'custom', path: ['providers', providerIndex, ...path], message }),
    );
  });
  config.modelGroups.forEach((group, groupIndex) => {
    group.deployments.forEach((deployment, deploymentIndex) => {
      const path = ['modelGroups', groupIndex, 'deployments', deploymentIndex];
      const provider = config.providers.find((candidate) => candidate.id === deployment.provider);
      if (!provider) {
        context.addIssue({
          code: 'custom',
          path: [...path, 'provider'],
          message: `unknown provider "${deployment.provider}"`,
        });
        return;
      }
      const kind = providerKindModule(provider.kind);
      if (group.operation === 'embeddings' && !kind.embeddings) {
        context.addIssue({
          code: 'custom',
          path: [...path, 'provider'],
          message: `provider "${provider.id}" is ${kind.displayName}, which has no embedding models`,
        });
      }
      const modelIssue =
        group.operation === 'embeddings' ? kind.embeddings?.configIssue?.(deployment.model) : undefined;
      if (modelIssue) context.addIssue({ code: 'custom', path: [...path, 'model'], message: modelIssue });
      const accounts: Array<{ id: string; regions: Array<{ id: string }> }> = provider.accounts;
      const account = accounts.find((candidate) => candidate.id === deployment.account);
      if (!account) {
        context.addIssue({
          code: 'custom',
          path: [...path, 'account'],
          message: `provider "${provider.id}" has no account "${deployment.account}"`,
        });
        return;
      }
      if (!account.regions.some((region) => region.id === deployment.region)) {
        context.addIssue({
          code: 'custom',
          path: [...path, 'region'],
          message: `account "${account.id}" has no region "${deployment.region}"`,
        });
      }
    });
  });
  const groupNames = new Set(config.modelGroups.map((group) => group.name));
  config.modelGroups.forEach((group, groupIndex) => {
    group.fallbacks.forEach((fallback, fallbackIndex) => {
      if (!groupNames.has(fallback)) {
        context.addIssue({
          code: 'custom',
          path: ['modelGroups', groupIndex, 'fallbacks', fallbackIndex],
          message: `unknown model group "${fallback}"`,
        });
      }
      const fallbackGroup = config.modelGroups.find((candidate) => candidate.name === fallback);
      if (fallbackGroup && fallbackGroup.operation !== group.operation) {
        context.addIssue({
          code: 'custom',
          path: ['modelGroups', groupIndex, 'fallbacks', fallbackIndex],
          message: `"${fallback}" serves ${fallbackGroup.operation}, "${group.name}" serves ${group.operation}: a fallback serves the same operation`,
        });
      }
    });
  });
  config.modelGroups.forEach((group, groupIndex) => {
    const embeddingGroup = group.cache?.semantic?.embeddingModelGroup;
    if (embeddingGroup === undefined) return;
    const path = ['modelGroups', groupIndex, 'cache', 'semantic', 'embeddingModelGroup'];
    const found = config.modelGroups.find((candidate) => candidate.name === embeddingGroup);
    if (found?.operation !== 'embeddings')
      context.addIssue({ code: 'custom', path, message: `"${embeddingGroup}" is not an embeddings model group` });
  });
  const cycle = findFallbackCycle(config.modelGroups);
  if (cycle) {
    const index = config.modelGroups.findIndex((group) => group.name === cycle[0]);
    context.addIssue({
      code: 'custom',
      path: ['modelGroups', index, 'fallbacks'],
      message: `fallback cycle: ${cycle.join(' → ')}`,
    });
  }
  config.tenants.forEach((tenant, tenantIndex) => {
    const scopes = [
      { path: ['tenants', tenantIndex, 'modelGroups'], groups: tenant.modelGroups ?? [] },
      ...tenant.keys.map((key, keyIndex) => ({
        path: ['tenants', tenantIndex, 'keys', keyIndex, 'modelGroups'],
        groups: key.modelGroups ?? [],
      })),
    ];
    for (const { path, groups } of scopes) {
      groups.forEach((group, index) => {
        if (!groupNames.has(group))
          context.addIssue({ code: 'custom', path: [...path, index], message: `unknown model group "${group}"` });
      });
    }
  });
  const tenantIds = new Set(config.tenants.map((tenant) => tenant.id));
  for (const tenant of Object.keys(config.budgets)) {
    if (!tenantIds.has(tenant))
      context.addIssue({
        code: 'custom',
        path: ['budgets', tenant],
        message: `unknown tenant "${tenant}"; budgets name a tenant of \`tenants\``,
      });
  }
  checkGuardrailAttachments(config, context);
  checkBedrockGuardrailRoutes(config, context);
  const names = config.modelGroups.map((group) => group.name);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) {
      context.addIssue({
        code: 'custom',
        path: ['modelGroups', index, 'name'],
        message: `duplicate model group "${name}"`,
      });
    }
  });
});

/** Every attached guardrail policy exists, and policy names are unique. */
function checkGuardrailAttachments(config: z.infer<typeof gatewayConfigShape>, context: z.RefinementCtx): void {
  const policyNames = config.guardrails.map((policy) => policy.name);
  policyNames.forEach((name, index) => {
    if (policyNames.indexOf(name) !== index)
      context.addIssue({
        code: 'custom',
        path: ['guardrails', index, 'name'],
        message: `duplicate guardrail policy "${name}"`,
      });
  });
  const attachments = [
    ...config.modelGroups.map((group, index) => ({
      path: ['modelGroups', index, 'guardrails'],
      names: group.guardrails ?? [],
    })),
    ...config.tenants.flatMap((tenant, tenantIndex) => [
      { path: ['tenants', tenantIndex, 'guardrails'], names: tenant.guardrails ?? [] },
      ...tenant.keys.map((key, keyIndex) => ({
        path: ['tenants', tenantIndex, 'keys', keyIndex, 'guardrails'],
        names: key.guardrails ?? [],
      })),
    ]),
  ];
  for (const { path, names } of attachments) {
    names.forEach((name, index) => {
      if (!policyNames.includes(name))
        context.addIssue({ code: 'custom', path: [...path, index], message: `unknown guardrail policy "${name}"` });
    });
  }
}

/** Every Bedrock Guardrails check names a Bedrock provider, one of its accounts and one of that account's regions. */
function checkBedrockGuardrailRoutes(config: z.infer<typeof gatewayConfigShape>, context: z.RefinementCtx): void {
  config.guardrails.forEach((policy, policyIndex) => {
    policy.checks.forEach((check, checkIndex) => {
      if (check.type !== 'bedrock') return;
      const path = ['guardrails', policyIndex, 'checks', checkIndex];
      const provider = config.providers.find((candidate) => candidate.id === check.provider);
      if (provider?.kind !== 'bedrock') {
        context.addIssue({
          code: 'custom',
          path: [...path, 'provider'],
          message: `"${check.provider}" is not a bedrock provider of \`providers\``,
        });
        return;
      }
      const account = provider.accounts.find((candidate) => candidate.id === check.account);
      if (!account)
        context.addIssue({
          code: 'custom',
          path: [...path, 'account'],
          message: `provider "${provider.id}" has no account "${check.account}"`,
        });
      else if (!account.regions.some((region) => region.id === check.region))
        context.addIssue({
          code: 'custom',
          path: [...path, 'region'],
          message: `account "${account.id}" has no region "${check.region}"`,
        });
    });
  });
}

/** The first cycle in the fallback graph, as the list of group names that close it. */
function findFallbackCycle(groups: Array<{ name: string; fallbacks: string[] }>): string[] | undefined {
  const byName = new Map(groups.map((group) => [group.name, group]));
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
    for (const next of byName.get(name)?.fallbacks ?? []) {
      const cycle = visit(next, [...path, name]);
      if (cycle) return cycle;
    }
    return undefined;
  };
  for (const group of groups) {
    const cycle = visit(group.name, []);
    if (cycle) return cycle;
  }
  return undefined;
}

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type TrafficClassPolicy = z.infer<typeof trafficClassSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type Pricing = z.infer<typeof pricingSchema>;
export type GuardrailPolicy = z.infer<typeof guardrailPolicySchema>;
export type GuardrailCheck = z.infer<typeof guardrailCheckSchema>;
export type { BedrockCredentialsConfig };
