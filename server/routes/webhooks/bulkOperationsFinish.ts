import type { WebhookContext, WebhookAnswer } from './handler.ts';

/**
 * `bulk_operations/finish`: a backfill stage's bulk query is done: the backfill steps now instead
 * of at its next poll (a job; nothing of ours is written). Its body is not normalized (it names
 * only the operation), so it has no dedupe: a repeat wakes a backfill that is already awake.
 */
export const bulkOperationsFinish = {
  async handle(context: WebhookContext): Promise<WebhookAnswer> {
    const woken = context.shop ? await context.deps.backfill.wake(context.shopId) : false;
    return { ok: true, woken };
  },
};
