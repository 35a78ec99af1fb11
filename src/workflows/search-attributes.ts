import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes of each inference, so operators can filter in the Temporal UI and the
 * audit API can list through visibility. Pure definitions: safe to import in workflow code.
 */
export const gatewaySearchAttributes = {
  tenant: defineSearchAttributeKey('GatewayTenant', SearchAttributeType.KEYWORD),
  trafficClass: defineSearchAttributeKey('GatewayTrafficClass', SearchAttributeType.KEYWORD),
  provider: defineSearchAttributeKey('GatewayProvider', SearchAttributeType.KEYWORD),
  model: defineSearchAttributeKey('GatewayModel', SearchAttributeType.KEYWORD),
  region: defineSearchAttributeKey('GatewayRegion', SearchAttributeType.KEYWORD),
  outcome: defineSearchAttributeKey('GatewayOutcome', SearchAttributeType.KEYWORD),
  fallbacks: defineSearchAttributeKey('GatewayFallbacks', SearchAttributeType.INT),
  session: defineSearchAttributeKey('GatewaySession', SearchAttributeType.KEYWORD),
} as const;

export const allGatewaySearchAttributes = Object.values(gatewaySearchAttributes);
