// The engine probe's workflow: `count` no-op local activities one after another, nothing else.
import { proxyLocalActivities } from '@temporalio/workflow';
import type { HopActivities } from './hop-activities';

const { noop } = proxyLocalActivities<HopActivities>({ startToCloseTimeout: '5s' });

export async function localActivityHops(count: number): Promise<number> {
  let done = 0;
  for (let index = 0; index < count; index++) done += await noop();
  return done;
}
