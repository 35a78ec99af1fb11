// The floor: a bare Temporal workflow of the gateway's shape (four selection local activities,
// then the provider call) with trivial activities and no gateway code. What the gateway costs
// above this is the gateway's own; what this costs is Temporal's and the SDK's.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, proxyLocalActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { FloorActivities } from './floor-activities';
import type { FloorInput, FloorResult } from './floor-types';

const selection = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '5s', retry: { maximumAttempts: 3 } });
const localCall = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '35s', retry: { maximumAttempts: 2 } });
const activityCall = proxyActivities<FloorActivities>({ startToCloseTimeout: '35s', retry: { maximumAttempts: 2 } });

/** The names the gateway registers on the server; the `visible` shape sets the outcome ones. */
const outcomeAttributes = {
  outcome: defineSearchAttributeKey('GatewayOutcome', SearchAttributeType.KEYWORD),
  fallbacks: defineSearchAttributeKey('GatewayFallbacks', SearchAttributeType.INT),
  provider: defineSearchAttributeKey('GatewayProvider', SearchAttributeType.KEYWORD),
  model: defineSearchAttributeKey('GatewayModel', SearchAttributeType.KEYWORD),
  region: defineSearchAttributeKey('GatewayRegion', SearchAttributeType.KEYWORD),
};

export async function floorInference(input: FloorInput): Promise<FloorResult> {
  const modelGroup = input.request.model;
  const provider = await selection.selectStep.executeWithOptions({ summary: `${modelGroup}: choose provider` }, [
    { step: 'provider', modelGroup, chosen: {} },
  ]);
  const model = await selection.selectStep.executeWithOptions({ summary: `${provider.choice}: choose model` }, [
    { step: 'model', modelGroup, chosen: { provider: provider.choice } },
  ]);
  const account = await selection.selectStep.executeWithOptions(
    { summary: `${provider.choice}/${model.choice}: choose account` },
    [{ step: 'account', modelGroup, chosen: { provider: provider.choice, model: model.choice } }],
  );
  const region = await selection.selectStep.executeWithOptions(
    { summary: `${provider.choice}/${model.choice} (${account.choice}): choose region` },
    [
      {
        step: 'region',
        modelGroup,
        chosen: { provider: provider.choice, model: model.choice, account: account.choice },
      },
    ],
  );
  const route = `${provider.choice}/${model.choice}/${account.choice}/${region.choice}`;
  const call = input.shape === 'activity' ? activityCall : localCall;
  const outcome = await call.callProvider.executeWithOptions({ summary: `attempt 1: ${route}` }, [
    { request: input.request, streamKey: input.streamKey },
  ]);
  if (input.shape === 'visible') {
    upsertSearchAttributes([
      { key: outcomeAttributes.outcome, value: 'success' },
      { key: outcomeAttributes.fallbacks, value: 0 },
      { key: outcomeAttributes.provider, value: provider.choice },
      { key: outcomeAttributes.model, value: model.choice },
      { key: outcomeAttributes.region, value: region.choice },
    ]);
  }
  return { response: outcome.response, route };
}
