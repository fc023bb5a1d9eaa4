import type { Knex } from 'knex';
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

  /**
   * What is held for a customer, recorded in the audit log. `trx`: the webhook's transaction, so
   * the delivery and its effect commit together.
   */
  async dataRequest(shopId: string, customerId: string, orderIds: string[], trx: Knex = this.stores.db): Promise<CustomerDataReport> {
    const [profile, decisions, events, outcomes] = await Promise.all([
      this.stores.customers.get(shopId, customerId, trx),
      this.stores.decisions.forCustomerOrOrders(shopId, customerId, orderIds, trx),
      this.stores.events.listForCustomer(shopId, customerId, orderIds, trx),
      this.stores.outcomes.forCustomer(shopId, customerId, trx),
    ]);
    const report: CustomerDataReport = {
      customerId,
      profile:
        profile === undefined
          ? null
          : {
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
    await this.stores.audit.record(shopId, 'shopify', 'gdpr.data_request', customerId, { decisions: report.decisions.length, events: report.events.length }, trx);
    return report;
  }

  /**
   * Deletes every row about the customer (and their orders); returns the counts deleted. Runs in
   * `trx` when given (the webhook's transaction), else in a transaction of its own: all or nothing.
   */
  async redactCustomer(shopId: string, customerId: string, orderIds: string[], trx?: Knex): Promise<Record<string, number>> {
    if (!trx) return this.stores.db.transaction((own) => this.redactCustomer(shopId, customerId, orderIds, own));
    const orders = [...new Set([...orderIds, ...(await this.stores.events.orderIdsOfCustomer(shopId, customerId, trx))])];
    const decisions = await this.stores.decisions.deleteForCustomerOrOrders(shopId, customerId, orders, trx);
    const outcomes = await this.stores.outcomes.deleteForCustomer(shopId, customerId, trx);
    const events = await this.stores.events.deleteForCustomer(shopId, customerId, orders, trx);
    const customers = await this.stores.customers.delete(shopId, customerId, trx);
    const simulations = await this.stores.simulations.forgetCustomer(shopId, customerId, trx);
    const rings = await this.stores.rings.forgetCustomer(shopId, customerId, trx);
    const snoozes = await this.stores.snoozes.deleteForCustomer(trx, shopId, customerId);
    // Reason-cluster reports quote notes; the shop's go whole (the next run recomputes them).
    const reasonReports = await this.stores.reasons.forgetShopReports(shopId, trx);
    const counts = { decisions, outcomes, events, customers, simulations, rings, snoozes, reasonReports };
    await this.stores.audit.record(shopId, 'shopify', 'gdpr.customers_redact', customerId, counts, trx);
    return counts;
  }

  async redactShop(shopId: string): Promise<void> {
    await this.stores.shops.deleteEverything(shopId);
  }
}
