import type { GatewayConfig } from '../config/gateway-config-schema';
import type { MinilmEmbedder } from './minilm-embedder';
import { findOrProvisionMinilm } from './minilm-files';

/** Whether some model group's semantic cache embeds with the local model. */
export function configUsesLocalEmbedder(config: GatewayConfig): boolean {
  return config.modelGroups.some((group) => group.cache?.semantic && !group.cache.semantic.embeddingModelGroup);
}

/**
 * The local embedder, loaded once on the first call (fetching its files with Maven when tools/
 * has none). A load that fails is tried again by the next call. onnxruntime's native library is
 * required only then, so a gateway without a local semantic cache never loads it.
 */
export function lazyLocalEmbedder(
  environment: NodeJS.ProcessEnv = process.env,
  log?: (line: string) => void,
): () => Promise<MinilmEmbedder> {
  let loading: Promise<MinilmEmbedder> | undefined;
  return () => {
    loading ??= import('./minilm-embedder')
      .then(({ MinilmEmbedder }) => MinilmEmbedder.load(findOrProvisionMinilm(environment, log)))
      .catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
    return loading;
  };
}
