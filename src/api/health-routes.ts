import { temporal } from '@temporalio/proto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ApiDependencies } from './api-dependencies';

/** The body of `GET /healthz` (and `GET /`). */
export const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

/** The body of `GET /readyz`, ready (200) or not (503). */
export const readinessSchema = z
  .object({ status: z.enum(['ready', 'unavailable']), temporal: z.string(), worker: z.string().optional() })
  .meta({ id: 'Readiness' });

/** GET /healthz: the process is up. */
export function healthRoute() {
  return (_request: Request, response: Response): void => {
    response.json({ status: 'ok' });
  };
}

/** GET /readyz: Temporal answers and a worker is polling the inference task queue. */
export function readinessRoute({ client, taskQueue }: ApiDependencies) {
  return async (_request: Request, response: Response): Promise<void> => {
    try {
      const description = await client.withDeadline(Date.now() + 2_000, () =>
        client.workflowService.describeTaskQueue({
          namespace: client.options.namespace,
          taskQueue: { name: taskQueue },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      const pollers = description.pollers?.length ?? 0;
      if (pollers === 0) {
        response.status(503).json({
          status: 'unavailable',
          temporal: 'reachable',
          worker: `no worker is polling task queue "${taskQueue}"`,
        });
        return;
      }
      response.json({ status: 'ready', temporal: 'reachable', worker: 'running' });
    } catch (error) {
      response.status(503).json({ status: 'unavailable', temporal: `unreachable: ${(error as Error).message}` });
    }
  };
}
