import type { Knex } from 'knex';
import { SHOP_DATA_TTL_MS, TtlCache } from './TtlCache.ts';

// What a rule watches is the API contract's.
export type { AlertKind } from '../../contract/alerts.ts';
import type { AlertKind } from '../../contract/alerts.ts';
export type AlertDeliveryStatus = 'pending' | 'retrying' | 'sent' | 'failed';

export interface AlertRuleRow {
  id: string;
  shop_id: string;
  kind: AlertKind;
  /** high-order-value only (numeric: a string from pg). */
  min_value: string | null;
  /** chargebacks-week: alert above this many chargebacks in 7 days; sku-return-rate: the fewest units returned in 30 days for a SKU to count. */
  threshold: number | null;
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
  threshold: number | null;
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
  /** When its job was sent (null: recorded, not queued yet). */
  queued_at: Date | null;
  /** An attempt holds the delivery until then. */
  lease_until: Date | null;
}

/** A periodic rule's current breach by one subject ('' for the shop's chargebacks, the SKU for a return rate). */
export interface AlertBreachRow {
  rule_id: string;
  shop_id: string;
  subject: string;
  since: Date;
  checked_at: Date;
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
      .insert({ shop_id: shopId, kind: input.kind, min_value: input.minValue, threshold: input.threshold, url: input.url, email: input.email, secret: input.secret, created_by: input.createdBy })
      .returning('*');
    return idOf(row as AlertRuleRow);
  }

  /** Deletes a rule of the shop (and its delivery log); false when the shop has no such rule. */
  async deleteRule(shopId: string, id: string, trx: Knex = this.db): Promise<boolean> {
    return (await trx('alert_rules').where({ shop_id: shopId, id }).delete()) > 0;
  }

  /** Turns a rule of the shop on or off (its breaches forgotten: it starts afresh); undefined when the shop has no such rule. */
  async setEnabled(shopId: string, id: string, enabled: boolean, trx: Knex = this.db): Promise<AlertRuleRow | undefined> {
    const [row] = await trx('alert_rules').where({ shop_id: shopId, id }).update({ enabled }).returning('*');
    if (!row) return undefined;
    await trx('alert_breaches').where({ rule_id: id }).delete();
    return idOf(row as AlertRuleRow);
  }

  /**
   * A rule of the shop, locked for the rest of the transaction (`for update`): the one evaluation
   * of a periodic rule at a time, so a breach starts (and alerts) once. Undefined when it is gone.
   */
  async lockRule(shopId: string, id: string, trx: Knex): Promise<AlertRuleRow | undefined> {
    const row = await trx('alert_rules').where({ shop_id: shopId, id }).forUpdate().first();
    return row ? idOf(row as AlertRuleRow) : undefined;
  }

  /** Installed shops with an enabled rule of one of these kinds. */
  async shopsWithRules(kinds: readonly AlertKind[]): Promise<string[]> {
    return this.db('alert_rules as r')
      .join('shops as s', 's.id', 'r.shop_id')
      .where('r.enabled', true)
      .whereIn('r.kind', kinds)
      .where('s.status', 'active')
      .distinct('r.shop_id')
      .orderBy('r.shop_id')
      .pluck('r.shop_id');
  }

  /** A rule's current breaches. */
  async breaches(ruleId: string, trx: Knex = this.db): Promise<AlertBreachRow[]> {
    return (await trx('alert_breaches').where({ rule_id: ruleId }).orderBy('subject')).map((row: AlertBreachRow) => ({ ...row, rule_id: String(row.rule_id) }));
  }

  /** Starts breaches of a rule (or restarts them: `since` is now `at`). */
  async startBreaches(shopId: string, ruleId: string, subjects: readonly string[], at: Date, trx: Knex): Promise<void> {
    if (subjects.length === 0) return;
    await trx('alert_breaches')
      .insert(subjects.map((subject) => ({ rule_id: ruleId, shop_id: shopId, subject, since: at, checked_at: at })))
      .onConflict(['rule_id', 'subject'])
      .merge(['since', 'checked_at']);
  }

  /** Breaches of a rule seen still breached at `at`. */
  async touchBreaches(ruleId: string, subjects: readonly string[], at: Date, trx: Knex): Promise<void> {
    if (subjects.length === 0) return;
    await trx('alert_breaches').where({ rule_id: ruleId }).whereIn('subject', subjects).update({ checked_at: trx.raw('greatest(checked_at, ?)', [at]) });
  }

  /** Breaches of a rule that ended. */
  async endBreaches(ruleId: string, subjects: readonly string[], trx: Knex): Promise<void> {
    if (subjects.length === 0) return;
    await trx('alert_breaches').where({ rule_id: ruleId }).whereIn('subject', subjects).delete();
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

  /** Records deliveries of the shop (not queued yet: `markQueued` once their jobs are sent); an event already recorded for a rule is skipped. Returns the rows created now. */
  async recordDeliveries(shopId: string, deliveries: readonly AlertDeliveryInput[], trx: Knex = this.db): Promise<AlertDeliveryRow[]> {
    if (deliveries.length === 0) return [];
    const rows = await trx('alert_deliveries')
      .insert(deliveries.map((d) => ({ shop_id: shopId, rule_id: d.ruleId, event_key: d.eventKey, facts: JSON.stringify(d.facts) })))
      .onConflict(['rule_id', 'event_key'])
      .ignore()
      .returning('*');
    return (rows as AlertDeliveryRow[]).map(deliveryOf);
  }

  /** Deliveries whose jobs were sent. */
  async markQueued(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db('alert_deliveries').whereIn('id', ids).whereNull('queued_at').update({ queued_at: this.db.fn.now() });
  }

  /** Deliveries recorded at least `olderThanSeconds` ago and never queued (a crash between the insert and the send), oldest first. */
  async unqueued(olderThanSeconds: number, limit = 500): Promise<{ id: string; shop_id: string }[]> {
    const rows = await this.db('alert_deliveries')
      .where({ status: 'pending' })
      .whereNull('queued_at')
      .where('created_at', '<=', this.db.raw(`now() - make_interval(secs => ?)`, [olderThanSeconds]))
      .orderBy('created_at')
      .limit(limit)
      .select('id', 'shop_id');
    return rows.map((row: { id: string; shop_id: string }) => ({ id: String(row.id), shop_id: row.shop_id }));
  }

  /**
   * Claims a delivery of the shop for one attempt (until `leaseMs` from now), with its rule:
   * undefined when either is gone, the delivery is settled (sent or failed), or another attempt
   * holds it (a second job of the same delivery does not post it twice).
   */
  async claim(shopId: string, id: string, leaseMs: number): Promise<{ delivery: AlertDeliveryRow; rule: AlertRuleRow } | undefined> {
    const [delivery] = await this.db('alert_deliveries')
      .where({ shop_id: shopId, id })
      .whereIn('status', ['pending', 'retrying'])
      .where((q) => q.whereNull('lease_until').orWhere('lease_until', '<', this.db.fn.now()))
      .update({ lease_until: this.db.raw(`now() + make_interval(secs => ?)`, [leaseMs / 1000]) })
      .returning('*');
    if (!delivery) return undefined;
    const rule = await this.db('alert_rules').where({ shop_id: shopId, id: delivery.rule_id }).first();
    return rule ? { delivery: deliveryOf(delivery), rule: idOf(rule) } : undefined;
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
        lease_until: null,
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
