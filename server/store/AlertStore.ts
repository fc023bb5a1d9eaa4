import type { Knex } from 'knex';
import { SHOP_DATA_TTL_MS, TtlCache } from './TtlCache.ts';

export type AlertKind = 'high-order-value' | 'ring-alert';
export type AlertDeliveryStatus = 'pending' | 'retrying' | 'sent' | 'failed';

export interface AlertRuleRow {
  id: string;
  shop_id: string;
  kind: AlertKind;
  /** high-order-value only (numeric: a string from pg). */
  min_value: string | null;
  /** The webhook the rule posts to, or null when it sends email. */
  url: string | null;
  /** The address the rule mails (through the configured SMTP server), or null when it posts to `url`. */
  email: string | null;
  secret: string;
  enabled: boolean;
  created_by: string;
  created_at: Date;
}

export interface AlertRuleInput {
  kind: AlertKind;
  minValue: number | null;
  url: string | null;
  email: string | null;
  secret: string;
  createdBy: string;
}

export interface AlertDeliveryRow {
  id: string;
  shop_id: string;
  rule_id: string;
  event_key: string;
  facts: Record<string, unknown>;
  status: AlertDeliveryStatus;
  attempts: number;
  last_error: string | null;
  response_status: number | null;
  created_at: Date;
  last_attempt_at: Date | null;
  sent_at: Date | null;
}

/** A delivery to record: one event for one rule (recorded once per rule and event). */
export interface AlertDeliveryInput {
  ruleId: string;
  eventKey: string;
  facts: Record<string, unknown>;
}

/** What one attempt of a delivery came to. */
export interface AlertAttempt {
  ok: boolean;
  responseStatus: number | null;
  error: string | null;
  /** A failure on the last attempt: the delivery is `failed`, not `retrying`. */
  final: boolean;
}

/** How long the shop's enabled rules are reused on the live path (this process forgets them at once when it changes them). */
export const ALERT_RULES_TTL_MS = SHOP_DATA_TTL_MS * 5;

const idOf = <T extends { id: unknown }>(row: T): T => ({ ...row, id: String(row.id) });
const deliveryOf = (row: AlertDeliveryRow): AlertDeliveryRow => ({ ...row, id: String(row.id), rule_id: String(row.rule_id) });

/** Alert rules (per shop: what to watch, where to send it, the signing secret) and their delivery log. */
export class AlertStore {
  private readonly db: Knex;
  private readonly cache = new TtlCache<AlertRuleRow[]>(ALERT_RULES_TTL_MS);

  constructor(db: Knex) {
    this.db = db;
  }

  async addRule(shopId: string, input: AlertRuleInput, trx: Knex = this.db): Promise<AlertRuleRow> {
    const [row] = await trx('alert_rules')
      .insert({ shop_id: shopId, kind: input.kind, min_value: input.minValue, url: input.url, email: input.email, secret: input.secret, created_by: input.createdBy })
      .returning('*');
    return idOf(row as AlertRuleRow);
  }

  /** Deletes a rule of the shop (and its delivery log); false when the shop has no such rule. */
  async deleteRule(shopId: string, id: string, trx: Knex = this.db): Promise<boolean> {
    return (await trx('alert_rules').where({ shop_id: shopId, id }).delete()) > 0;
  }

  /** The shop's rules, oldest first. */
  async rules(shopId: string): Promise<AlertRuleRow[]> {
    return (await this.db('alert_rules').where({ shop_id: shopId }).orderBy('id')).map(idOf);
  }

  /** The shop's enabled rules for the live path: one indexed read, reused for a few seconds. */
  enabledRulesCached(shopId: string): Promise<AlertRuleRow[]> {
    return this.cache.get(shopId, async () => (await this.db('alert_rules').where({ shop_id: shopId, enabled: true }).orderBy('id')).map(idOf));
  }

  forget(shopId: string): void {
    this.cache.forget(shopId);
  }

  /** Records deliveries of the shop; an event already recorded for a rule is skipped. Returns the rows created now. */
  async recordDeliveries(shopId: string, deliveries: readonly AlertDeliveryInput[]): Promise<AlertDeliveryRow[]> {
    if (deliveries.length === 0) return [];
    const rows = await this.db('alert_deliveries')
      .insert(deliveries.map((d) => ({ shop_id: shopId, rule_id: d.ruleId, event_key: d.eventKey, facts: JSON.stringify(d.facts) })))
      .onConflict(['rule_id', 'event_key'])
      .ignore()
      .returning('*');
    return (rows as AlertDeliveryRow[]).map(deliveryOf);
  }

  /** A delivery of the shop with its rule (undefined when either is gone). */
  async delivery(shopId: string, id: string): Promise<{ delivery: AlertDeliveryRow; rule: AlertRuleRow } | undefined> {
    const delivery = await this.db('alert_deliveries').where({ shop_id: shopId, id }).first();
    if (!delivery) return undefined;
    const rule = await this.db('alert_rules').where({ shop_id: shopId, id: delivery.rule_id }).first();
    return rule ? { delivery: deliveryOf(delivery), rule: idOf(rule) } : undefined;
  }

  /** Counts one attempt of a delivery and its result. */
  async recordAttempt(shopId: string, id: string, attempt: AlertAttempt): Promise<void> {
    await this.db('alert_deliveries')
      .where({ shop_id: shopId, id })
      .update({
        attempts: this.db.raw('attempts + 1'),
        status: attempt.ok ? 'sent' : attempt.final ? 'failed' : 'retrying',
        // A success keeps the error of the attempt before it (the log shows what was retried).
        ...(attempt.ok ? {} : { last_error: attempt.error }),
        response_status: attempt.responseStatus,
        last_attempt_at: this.db.fn.now(),
        ...(attempt.ok ? { sent_at: this.db.fn.now() } : {}),
      });
  }

  /** The shop's delivery log, newest first. */
  async deliveries(shopId: string, options: { limit?: number; ruleId?: string } = {}): Promise<AlertDeliveryRow[]> {
    const query = this.db('alert_deliveries')
      .where({ shop_id: shopId })
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100);
    if (options.ruleId) query.andWhere({ rule_id: options.ruleId });
    return (await query).map(deliveryOf);
  }
}
