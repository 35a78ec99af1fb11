// The floor: a bare Temporal workflow of the gateway's shape (four selection local activities,
// then the provider call) with trivial activities and no gateway code. What the gateway costs
// above this is the gateway's own; what this costs is Temporal's and the SDK's.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { FloorActivities } from './floor-activities';
import type { FloorInput, FloorResult } from './floor-types';

const selection = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '5s', retry: { maximumAttempts: 3 } });
const localCall = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '35s', retry: { maximumAttempts: 2 } });
const activityCall = proxyActivities<FloorActivities>({ startToCloseTimeout: '35s', retry: { maximumAttempts: 2 } });

export async function floorInference(input: FloorInput): Promise<FloorResult> {
  const modelGroup = input.request.model;
  const provider = await selection.selectStep.executeWithOptions({ summary: `${modelGroup}: choose provider` }, [{ step: 'provider', modelGroup, chosen: {} }]);
  const model = await selection.selectStep.executeWithOptions({ summary: `${provider.choice}: choose model` }, [{ step: 'model', modelGroup, chosen: { provider: provider.choice } }]);
  const account = await selection.selectStep.executeWithOptions(
    { summary: `${provider.choice}/${model.choice}: choose account` },
    [{ step: 'account', modelGroup, chosen: { provider: provider.choice, model: model.choice } }],
  );
  const region = await selection.selectStep.executeWithOptions(
    { summary: `${provider.choice}/${model.choice} (${account.choice}): choose region` },
    [{ step: 'region', modelGroup, chosen: { provider: provider.choice, model: model.choice, account: account.choice } }],
  );
  const route = `${provider.choice}/${model.choice}/${account.choice}/${region.choice}`;
  const call = input.shape === 'local' ? localCall : activityCall;
  const outcome = await call.callProvider.executeWithOptions({ summary: `attempt 1: ${route}` }, [{ request: input.request, streamKey: input.streamKey }]);
  return { response: outcome.response, route };
}
