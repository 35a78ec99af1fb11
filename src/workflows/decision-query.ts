import { defineQuery } from '@temporalio/workflow';
import type { DecisionRecord } from './inference-types';

/** The decision record so far: what a running inference has tried and how long it is waiting. */
export const decisionQuery = defineQuery<DecisionRecord>('decision');
