// A deliberately incompatible change, for the replay guard test: the same inference workflow
// with its first two selection steps swapped. Replaying recorded histories against it must fail.
import { proxyLocalActivities } from '@temporalio/workflow';
import type { GatewayActivities } from '../../../src/activities/create-activities';
import type { InferenceInput } from '../../../src/workflows/inference-types';

const { routingPolicy, selectProvider, selectModel } = proxyLocalActivities<GatewayActivities>({
  startToCloseTimeout: '5s',
});

export async function inference(input: InferenceInput): Promise<unknown> {
  await routingPolicy({ trafficClass: input.trafficClass });
  const request = { modelGroup: input.modelGroup, trafficClass: input.trafficClass, needs: input.needs, excluded: [] };
  await selectModel({ ...request, chosen: {} });
  return selectProvider({ ...request, chosen: {} });
}

/** The same incompatible change under the type new inferences start as. */
export const inferenceV2 = inference;
