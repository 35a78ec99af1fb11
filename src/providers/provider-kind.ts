import type { providerKinds } from '../config/gateway-config-schema';

export type ProviderKind = (typeof providerKinds)[number];
