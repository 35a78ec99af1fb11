import type { providerKinds } from './provider-kinds';

export type ProviderKind = (typeof providerKinds)[number];
