import type { Stores } from '../store/index.ts';

export interface CustomerDataReport {
  customerId: string;
  /** What RefundSentry holds: ids, keyed hashes and aggregates; no names, emails or addresses exist. */
  profile: { tags: string[]; currentZone: string | null; lastScore: number | null; decisionsCount: number; identityKinds: string[] } | null;
  decisions: { subjectKind: string; subjectId: string; score: number; zone: string; decidedAt: string }[];
  events: { kind: string; resourceId: string; occurredAt: string }[];
  outcomes: { subjectId: string; label: string; source: string }[];
}

/**
 * The mandatory privacy webhooks: report what is held for a customer, delete a customer's
 * rows, delete a whole shop's rows (48 h after uninstall). Every request is audited, without PII.
 */
export class GdprService {
  private readonly stores: Stores;
  constructor(stores: Stores) {
    this.stores = stores;
  }

  async dataRequest(shopId: string, customerId: string, orderIds: string[]): Promise<CustomerDataReport> {
    const db = this.stores.db;
    const profile = await this.stores.customers.get(shopId, customerId);
    const decisions = await db('decisions').where({ shop_id: shopId }).andWhere((q) => q.where('customer_id', customerId).orWhereIn('order_id', orderIds)).orderBy('decided_at');
    const events = await db('events').where({ shop_id: shopId }).andWhere((q) => q.where('customer_id', customerId).orWhereIn('order_id', orderIds).orWhere({ kind: 'customer', resource_id: customerId })).orderBy('occurred_at');
    const outcomes = await db('outcomes').where({ shop_id: shopId, customer_id: customerId });
    const report: CustomerDataReport = {
      customerId,
      profile: profile === undefined ? null : {
        tags: profile.tags,
        currentZone: profile.current_zone,
        lastScore: profile.last_score === null ? null : Number(profile.last_score),
        decisionsCount: profile.decisions_count,
        identityKinds: Object.keys(profile.identity),
      },
      decisions: decisions.map((d) => ({ subjectKind: d.subject_kind, subjectId: d.subject_id, score: Number(d.score), zone: d.zone, decidedAt: d.decided_at.toISOString() })),
      events: events.map((e) => ({ kind: e.kind, resourceId: e.resource_id, occurredAt: e.occurred_at.toISOString() })),
      outcomes: outcomes.map((o) => ({ subjectId: o.subject_id, label: o.label, source: o.source })),
    };
    await this.stores.audit.record(shopId, 'shopify', 'gdpr.data_request', customerId, { decisions: report.decisions.length, events: report.events.length });
    return report;
  }

  /** Deletes every row about the customer (and their orders); returns the counts deleted. */
  async redactCustomer(shopId: string, customerId: string, orderIds: string[]): Promise<Record<string, number>> {
    return this.stores.db.transaction(async (trx) => {
      const known = await trx('events').where({ shop_id: shopId, kind: 'order', customer_id: customerId }).pluck('resource_id');
      const orders = [...new Set([...orderIds, ...known])];
      const decisions = await trx('decisions').where({ shop_id: shopId }).andWhere((q) => q.where('customer_id', customerId).orWhereIn('order_id', orders)).delete();
      const outcomes = await trx('outcomes').where({ shop_id: shopId, customer_id: customerId }).delete();
      const events = await this.stores.events.deleteForCustomer(shopId, customerId, orders, trx);
      const customers = await this.stores.customers.delete(shopId, customerId, trx);
      const counts = { decisions, outcomes, events, customers };
      await this.stores.audit.record(shopId, 'shopify', 'gdpr.customers_redact', customerId, counts, trx);
      return counts;
    });
  }

  async redactShop(shopId: string): Promise<void> {
    await this.stores.shops.deleteEverything(shopId);
  }
}
