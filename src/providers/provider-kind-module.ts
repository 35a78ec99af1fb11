import type { z } from 'zod';
import type { SimulatorMount } from '../simulator/simulator-mount';
import type { EmbeddingNeeds } from './canonical-embedding';
import type { ChatParameterSupport } from './chat-parameter-support';
import type { EmbeddingAdapter } from './embedding-adapter';
import type { ProviderAdapter } from './provider-adapter';
import type { ProviderConfigBase } from './provider-config-fields';

/** A kind's config schema: a strict object whose `kind` literal names the kind. */
export type ProviderConfigSchema = z.ZodObject<{ kind: z.ZodLiteral<string> } & z.ZodRawShape, z.core.$strict>;

/** The URLs of a running provider simulator, by wire format. */
export interface SimulatorEndpoints {
  url: string;
  openAIBaseUrl(region: string): string;
  anthropicBaseUrl(region: string): string;
}

/** A kind's embeddings: its adapter and what its models take. */
export interface ProviderKindEmbeddings<Config extends ProviderConfigBase> {
  createAdapter(): EmbeddingAdapter<Config>;
  /** Why a model cannot serve an embedding request, or undefined when it can. Pure. */
  refusal(model: string, needs: EmbeddingNeeds): string | undefined;
  /** Why a model cannot be an embedding group's deployment at all, as the config check says it. */
  configIssue?(model: string): string | undefined;
}

/**
 * Everything the gateway knows about one provider kind, exported by the kind's folder and listed
 * once in provider-kinds.ts; the config, the registries, the capabilities and the simulator read it.
 */
export interface ProviderKindModule<Config extends ProviderConfigBase> {
  configSchema: ProviderConfigSchema;
  /** The kind as messages name it ("Anthropic has no embedding models"). */
  displayName: string;
  /** Its chat adapter; the registry holds it to the parameter policy. */
  createChatAdapter(): ProviderAdapter<Config>;
  /** What a model on this kind takes of a chat request. Pure. */
  chatParameters(model: string): ChatParameterSupport;
  /** Its embeddings; a kind without them refuses embedding routes and deployments. */
  embeddings?: ProviderKindEmbeddings<Config>;
  /** The variables holding its accounts' credentials; with none set anywhere, `npm start` uses the simulator. */
  credentialVariables(provider: Config): string[];
  /** Checks of a provider that its schema cannot make alone, reported with paths inside the provider. */
  checkConfig?(provider: Config, report: (path: Array<string | number>, message: string) => void): void;
  /** Adds the routes that speak its wire format to the provider simulator. */
  mountSimulator?(simulator: SimulatorMount): void;
  /** The provider with every region pointed at the simulator and each account's key read from `keyVariable`. */
  pointAtSimulator?(
    provider: Config,
    simulator: SimulatorEndpoints,
    keyVariable: (accountId: string) => string,
  ): Config;
}
