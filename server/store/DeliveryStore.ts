import type { Knex } from 'knex';

export type DeliveryVerdict = 'new' | 'duplicate-delivery' | 'duplicate-effect';

export interface DeliveryInput {
  shopId: string;
  webhookId: string;
  topic: string;
  eventId: string | null;
  resourceId: string | null;
  triggeredAt: string | null;
}

/**
 * Webhook deliveries, for dedupe: the same delivery (Webhook-Id) is acknowledged once; the
 * same business effect (topic, Event-Id, resource) from another subscription or retry too.
 */
export class DeliveryStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  async record(input: DeliveryInput, status: 'enqueued' | 'stale' | 'ignored', trx: Knex = this.db): Promise<DeliveryVerdict> {
    if (status === 'enqueued' && input.eventId && input.resourceId) {
      const effect = await trx('webhook_deliveries')
        .where({ shop_id: input.shopId, topic: input.topic, event_id: input.eventId, resource_id: input.resourceId, status: 'enqueued' })
        .first('webhook_id');
      if (effect && effect.webhook_id !== input.webhookId) {
        await this.insert(input, 'duplicate-effect', trx);
        return 'duplicate-effect';
      }
    }
    return (await this.insert(input, status, trx)) ? 'new' : 'duplicate-delivery';
  }

  private async insert(input: DeliveryInput, status: string, trx: Knex): Promise<boolean> {
    const rows = await trx('webhook_deliveries')
      .insert({ shop_id: input.shopId, webhook_id: input.webhookId, topic: input.topic, event_id: input.eventId, resource_id: input.resourceId, triggered_at: input.triggeredAt, status })
      .onConflict(['shop_id', 'webhook_id'])
      .ignore()
      .returning('webhook_id');
    return rows.length > 0;
  }
}
