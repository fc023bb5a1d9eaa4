import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AlertDelivery, AlertFacts, AlertKind, AlertRule, AlertRuleCreated, ChargebacksWeekFacts, NewAlertRule, Sendable, SkuReturnRateFacts, SkuWindow } from '../../contract/index.ts';
import type { OrderRecord } from '../../sdk/index.ts';
import { ALERT_ATTEMPTS, type AlertJob } from '../jobs/queues.ts';
import type { AlertDeliveryInput } from '../store/AlertStore.ts';
import type { SkuUnits } from '../store/AnalyticsStore.ts';
import type { AlertDeliveryRow, AlertRuleRow, DecisionRow, RingAlertRow, Stores } from '../store/index.ts';
import { CHARGEBACK_WINDOW_MS, DAY_MS, DEFAULT_SKU_MIN_RETURNS, SKU_BASELINE_DAYS, SKU_MIN_SOLD, SKU_RECENT_DAYS, chargebackVerdict, compareSkuRates } from './alertChecks.ts';
import { nonPublicHostProblem } from './publicAddress.ts';
import { Refused } from './Refused.ts';

export const ALERT_KINDS: readonly AlertKind[] = ['high-order-value', 'ring-alert', 'chargebacks-week', 'sku-return-rate'];
/** The kinds evaluated by the periodic check (`checkShop`), not by the live path. */
export const CHECKED_KINDS: readonly AlertKind[] = ['chargebacks-week', 'sku-return-rate'];
/** A delivery recorded this long ago and never queued is queued by the sweeper. */
export const SWEEP_AFTER_SECONDS = 60;
/** The header carrying `sha256=<hex HMAC-SHA256 of the raw body>` keyed with the rule's secret. */
export const SIGNATURE_HEADER = 'X-RefundSentry-Signature';
const MAX_URL_LENGTH = 2048;
const MAX_MIN_VALUE = 1e12;
const MAX_THRESHOLD = 1_000_000;

/** Sends one alert email (nodemailer over the configured SMTP server: `smtpMailer`). */
export interface AlertMailer {
  send(message: { to: string; subject: string; text: string; headers: Record<string, string> }): Promise<void>;
}

export interface AlertServiceOptions {
  /** Email alerts: without it, a rule with an email address is refused. */
  mailer?: AlertMailer;
  /** Queues delivery jobs (pg-boss: `JobQueue.sendAlerts`). */
  enqueue: (jobs: AlertJob[]) => Promise<void>;
  log?: Logger;
  /** Attempts per delivery before it is `failed` (the alert queue's retry limit + 1). */
  attempts?: number;
  /** Time a receiver has to answer one attempt. */
  timeoutMs?: number;
  /**
   * Production (`config.production`): a webhook URL must resolve to public addresses only (not
   * loopback, private, link-local, …): refused with 400 when a rule is added, and not posted to
   * when it resolves to one at delivery time.
   */
  publicUrlsOnly?: boolean;
}

/** A new live order decision (what `ScoringService` hands over after storing it). */
export interface DecidedOrder {
  shopId: string;
  decision: DecisionRow;
  order: OrderRecord;
}

/** The signature of a body with a rule's secret, as the header carries it. */
export function alertSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Alerts (issue 23, item 5): a shop's rules (a HIGH order at or above a value; a ring alert; more
 * than N chargebacks in 7 days; a SKU's return rate doubled), matched after a live decision or
 * ring alert is stored, after a dispute is stored (chargebacks) and by the periodic check (both
 * periodic kinds), each match recorded once per rule and event in the delivery log and posted by a
 * pg-boss job to the rule's webhook (Slack-compatible JSON with the facts: ids, counts, zone,
 * score, amounts, never personal data; signed with the rule's secret) or mailed, retried with
 * backoff, every attempt logged. A delivery recorded but never queued is queued by `sweep`.
 */
export class AlertService {
  private readonly stores: Stores;
  private readonly enqueue: AlertServiceOptions['enqueue'];
  private readonly log: Logger | undefined;
  private readonly attempts: number;
  private readonly timeoutMs: number;
  private readonly mailer: AlertMailer | undefined;
  private readonly publicUrlsOnly: boolean;

  constructor(stores: Stores, options: AlertServiceOptions) {
    this.stores = stores;
    this.enqueue = options.enqueue;
    this.log = options.log;
    this.attempts = options.attempts ?? ALERT_ATTEMPTS;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.mailer = options.mailer;
    this.publicUrlsOnly = options.publicUrlsOnly ?? false;
  }

  async rules(shopId: string): Promise<Sendable<AlertRule>[]> {
    return (await this.stores.alerts.rules(shopId)).map(ruleView);
  }

  /** Adds a rule with a new signing secret (returned this once); refuses bad input with 400 naming the field. */
  async addRule(shopId: string, user: string, input: NewAlertRule): Promise<Sendable<AlertRuleCreated>> {
    if (!ALERT_KINDS.includes(input.kind)) throw new Refused(400, `kind must be one of ${ALERT_KINDS.join(', ')}`);
    if ((input.url === undefined) === (input.email === undefined)) throw new Refused(400, 'give one destination: url (a webhook) or email (an address), not both and not neither');
    const url = input.url === undefined ? null : checkUrl(input.url);
    const email = input.email === undefined ? null : checkEmail(input.email);
    if (email !== null && !this.mailer) throw new Refused(422, 'email alerts need the server\'s SMTP server (SMTP_URL and SMTP_FROM are not set): use a webhook url instead');
    let minValue: number | null = null;
    if (input.kind === 'high-order-value') {
      if (input.minValue === undefined) throw new Refused(400, 'minValue is required for a high-order-value rule (the order total from which a HIGH order alerts)');
      if (!Number.isFinite(input.minValue) || input.minValue < 0 || input.minValue > MAX_MIN_VALUE) throw new Refused(400, `minValue must be a number from 0 to ${MAX_MIN_VALUE}`);
      minValue = Math.round(input.minValue * 100) / 100;
    } else if (input.minValue !== undefined) throw new Refused(400, `minValue applies to high-order-value rules only, not ${input.kind}`);
    let threshold: number | null = null;
    if (input.kind === 'chargebacks-week') {
      if (input.threshold === undefined) throw new Refused(400, 'threshold is required for a chargebacks-week rule (it alerts when more than this many chargebacks were opened in 7 days)');
      threshold = checkThreshold(input.threshold, 0);
    } else if (input.kind === 'sku-return-rate') {
      threshold = input.threshold === undefined ? DEFAULT_SKU_MIN_RETURNS : checkThreshold(input.threshold, 1);
    } else if (input.threshold !== undefined) throw new Refused(400, `threshold applies to chargebacks-week and sku-return-rate rules only, not ${input.kind}`);
    if (url !== null && this.publicUrlsOnly) {
      const problem = await nonPublicHostProblem(new URL(url));
      if (problem) throw new Refused(400, `url must reach a public address: ${problem} (this production server posts alerts only to public addresses)`);
    }
    const secret = randomBytes(32).toString('hex');
    const row = await this.stores.db.transaction(async (trx) => {
      const added = await this.stores.alerts.addRule(shopId, { kind: input.kind, minValue, threshold, url, email, secret, createdBy: user }, trx);
      await this.stores.audit.record(shopId, user, 'alert.add', added.id, { kind: input.kind, minValue, threshold, url, email }, trx);
      return added;
    });
    this.stores.alerts.forget(shopId);
    return { ...ruleView(row), secret };
  }

  /** Deletes a rule and its delivery log; false when the shop has no such rule. */
  async deleteRule(shopId: string, user: string, id: string): Promise<boolean> {
    const deleted = await this.stores.db.transaction(async (trx) => {
      const found = await this.stores.alerts.deleteRule(shopId, id, trx);
      if (found) await this.stores.audit.record(shopId, user, 'alert.delete', id, {}, trx);
      return found;
    });
    this.stores.alerts.forget(shopId);
    return deleted;
  }

  /** Turns a rule on or off (audited; a periodic rule starts afresh: a breach still open alerts again once on); undefined when the shop has no such rule. */
  async setEnabled(shopId: string, user: string, id: string, enabled: boolean): Promise<Sendable<AlertRule> | undefined> {
    if (typeof enabled !== 'boolean') throw new Refused(400, 'enabled must be true or false');
    const row = await this.stores.db.transaction(async (trx) => {
      const updated = await this.stores.alerts.setEnabled(shopId, id, enabled, trx);
      if (updated) await this.stores.audit.record(shopId, user, enabled ? 'alert.enable' : 'alert.disable', id, {}, trx);
      return updated;
    });
    this.stores.alerts.forget(shopId);
    return row && ruleView(row);
  }

  async deliveries(shopId: string, options: { limit?: number; ruleId?: string } = {}): Promise<Sendable<AlertDelivery>[]> {
    return (await this.stores.alerts.deliveries(shopId, options)).map(deliveryView);
  }

  /**
   * New live order decisions, after they are stored: each HIGH one whose order total reaches a
   * high-order-value rule of its shop is recorded (once per rule) and queued. Cheap when nothing
   * matches: only HIGH orders read their shop's enabled rules (one indexed query, cached briefly).
   */
  async ordersDecided(decided: readonly DecidedOrder[]): Promise<void> {
    const high = decided.filter((d) => d.decision.zone === 'high' && d.decision.subject_kind === 'order');
    for (const [shopId, items] of Map.groupBy(high, (d) => d.shopId)) {
      const rules = (await this.stores.alerts.enabledRulesCached(shopId)).filter((rule) => rule.kind === 'high-order-value');
      if (rules.length === 0) continue;
      const deliveries: AlertDeliveryInput[] = [];
      for (const { decision, order } of items) {
        for (const rule of rules) {
          const minValue = Number(rule.min_value);
          if (!(order.totalPrice >= minValue)) continue;
          const facts = {
            event: 'high-order-value' as const,
            shop: shopId,
            orderId: order.id,
            decisionId: String(decision.id),
            zone: decision.zone,
            score: Math.round(Number(decision.score)),
            total: order.totalPrice,
            currency: order.currency,
            minValue,
            at: order.createdAt,
          } satisfies AlertFacts;
          deliveries.push({ ruleId: rule.id, eventKey: `order:${order.id}`, facts: { ...facts } });
        }
      }
      await this.record(shopId, deliveries);
    }
  }

  /** Ring alerts just stored (new live orders matching a known ring): recorded and queued for the shop's ring-alert rules. */
  async ringAlerts(shopId: string, alerts: readonly RingAlertRow[]): Promise<void> {
    if (alerts.length === 0) return;
    const rules = (await this.stores.alerts.enabledRulesCached(shopId)).filter((rule) => rule.kind === 'ring-alert');
    if (rules.length === 0) return;
    const deliveries = alerts.flatMap((alert) => {
      const facts = {
        event: 'ring-alert' as const,
        shop: shopId,
        orderId: alert.order_id,
        ringKey: alert.ring_key,
        ringScore: Math.round(Number(alert.ring_score)),
        ringMembers: Number(alert.ring_members),
        matched: [...alert.matched],
        member: alert.member,
        at: new Date(alert.order_at).toISOString(),
      } satisfies AlertFacts;
      return rules.map((rule) => ({ ruleId: rule.id, eventKey: `ring-alert:${alert.id}`, facts: { ...facts } }));
    });
    await this.record(shopId, deliveries);
  }

  /**
   * After a dispute is stored (the disputes/* webhook): the shop's chargebacks-week rules checked
   * at once. Best effort: it never throws (the periodic check catches up).
   */
  async chargebackStored(shopId: string, now = new Date()): Promise<void> {
    try {
      const rules = (await this.stores.alerts.enabledRulesCached(shopId)).filter((rule) => rule.kind === 'chargebacks-week');
      for (const rule of rules) await this.queue(shopId, await this.checkChargebacks(shopId, rule.id, now));
    } catch (error) {
      this.log?.warn({ shopId, err: error }, 'chargeback alert rules not checked after a dispute; the periodic check will');
    }
  }

  /**
   * The periodic check of a shop's chargebacks-week and sku-return-rate rules at `now` (the alert
   * checks job): each rule locked while it is checked, so a breach alerts once whoever checks it.
   * Returns the deliveries recorded.
   */
  async checkShop(shopId: string, now = new Date()): Promise<number> {
    const rules = (await this.stores.alerts.rules(shopId)).filter((rule) => rule.enabled && CHECKED_KINDS.includes(rule.kind));
    let recorded = 0;
    for (const rule of rules) {
      const created = rule.kind === 'chargebacks-week' ? await this.checkChargebacks(shopId, rule.id, now) : await this.checkSkus(shopId, rule, now);
      await this.queue(shopId, created);
      recorded += created.length;
    }
    return recorded;
  }

  /**
   * A chargebacks-week rule at `now`: more than its threshold of chargebacks opened in the 7 days to
   * `now` is a breach; it alerts when it starts (the count went above the threshold since the rule
   * last saw it there, or never was), not for every chargeback while it lasts.
   */
  private async checkChargebacks(shopId: string, ruleId: string, now: Date): Promise<AlertDeliveryRow[]> {
    return this.stores.db.transaction(async (trx) => {
      const rule = await this.stores.alerts.lockRule(shopId, ruleId, trx);
      if (!rule || !rule.enabled || rule.kind !== 'chargebacks-week' || rule.threshold === null) return [];
      const [open] = await this.stores.alerts.breaches(rule.id, trx);
      const lastChecked = open ? open.checked_at.getTime() : undefined;
      const from = Math.min(lastChecked ?? now.getTime(), now.getTime()) - CHARGEBACK_WINDOW_MS;
      const times = (await this.stores.chargebacks.openedTimes(shopId, new Date(from), now, trx)).map((t) => t.getTime());
      const verdict = chargebackVerdict(times, now.getTime(), rule.threshold, lastChecked);
      if (verdict.state === 'clear') {
        if (open) await this.stores.alerts.endBreaches(rule.id, [''], trx);
        return [];
      }
      if (verdict.state === 'continues') {
        await this.stores.alerts.touchBreaches(rule.id, [''], now, trx);
        return [];
      }
      await this.stores.alerts.startBreaches(shopId, rule.id, [''], now, trx);
      const facts = {
        event: 'chargebacks-week',
        shop: shopId,
        count: verdict.count,
        threshold: rule.threshold,
        from: new Date(now.getTime() - CHARGEBACK_WINDOW_MS).toISOString(),
        at: now.toISOString(),
      } satisfies ChargebacksWeekFacts;
      return this.stores.alerts.recordDeliveries(shopId, [{ ruleId: rule.id, eventKey: `chargebacks-week:${now.toISOString()}`, facts: { ...facts } }], trx);
    });
  }

  /**
   * A sku-return-rate rule at `now`: each SKU whose return rate over the last 30 days is at least
   * twice its rate over the 90 days before (with the volume floors of `compareSkuRates`) is a
   * breach, which alerts when it starts; it ends when the rate falls below 1.5 times the baseline
   * (or below the floors), so a rate hovering around twice does not alert every check.
   */
  private async checkSkus(shopId: string, checked: AlertRuleRow, now: Date): Promise<AlertDeliveryRow[]> {
    const recentFrom = new Date(now.getTime() - SKU_RECENT_DAYS * DAY_MS);
    const baselineFrom = new Date(recentFrom.getTime() - SKU_BASELINE_DAYS * DAY_MS);
    const minReturns = checked.threshold ?? DEFAULT_SKU_MIN_RETURNS;
    // The figures are read before the rule is locked (two range scans over order and return lines).
    const recent = await this.stores.analytics.skuUnits(shopId, recentFrom, now, { minReturned: minReturns, minSold: SKU_MIN_SOLD });
    const baseline = await this.stores.analytics.skuUnits(shopId, baselineFrom, recentFrom, { skus: recent.map((row) => row.sku) });
    const compared = compareSkuRates(recent, baseline, minReturns);
    return this.stores.db.transaction(async (trx) => {
      const rule = await this.stores.alerts.lockRule(shopId, checked.id, trx);
      if (!rule || !rule.enabled || rule.kind !== 'sku-return-rate' || rule.threshold !== checked.threshold) return [];
      const open = new Set((await this.stores.alerts.breaches(rule.id, trx)).map((b) => b.subject));
      const starting = compared.filter((c) => c.doubled && !open.has(c.sku));
      const held = new Set(compared.filter((c) => c.holds).map((c) => c.sku));
      await this.stores.alerts.endBreaches(rule.id, [...open].filter((sku) => !held.has(sku)), trx);
      await this.stores.alerts.touchBreaches(rule.id, [...open].filter((sku) => held.has(sku)), now, trx);
      await this.stores.alerts.startBreaches(shopId, rule.id, starting.map((c) => c.sku), now, trx);
      const window = (units: SkuUnits, from: Date, to: Date): SkuWindow => ({ from: from.toISOString(), to: to.toISOString(), sold: units.sold, returned: units.returned, rate: Math.round((units.returned / units.sold) * 10_000) / 10_000 });
      return this.stores.alerts.recordDeliveries(
        shopId,
        starting.map((c) => {
          const facts = {
            event: 'sku-return-rate',
            shop: shopId,
            sku: c.sku,
            title: c.title,
            recent: window(c.recent, recentFrom, now),
            baseline: window(c.baseline, baselineFrom, recentFrom),
            ratio: c.ratio,
            minReturns,
            at: now.toISOString(),
          } satisfies SkuReturnRateFacts;
          return { ruleId: rule.id, eventKey: `sku-return-rate:${c.sku}:${now.toISOString()}`, facts: { ...facts } };
        }),
        trx,
      );
    });
  }

  /**
   * Queues deliveries recorded at least `olderThanSeconds` ago and never queued (a crash between
   * the insert and the send): the alert sweep job, every minute. Returns how many it queued.
   */
  async sweep(olderThanSeconds = SWEEP_AFTER_SECONDS): Promise<number> {
    const stale = await this.stores.alerts.unqueued(olderThanSeconds);
    for (const [shopId, rows] of Map.groupBy(stale, (row) => row.shop_id)) await this.queue(shopId, rows);
    if (stale.length > 0) this.log?.warn({ deliveries: stale.length }, 'alert deliveries recorded but never queued: queued now');
    return stale.length;
  }

  private async record(shopId: string, deliveries: AlertDeliveryInput[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue(shopId, await this.stores.alerts.recordDeliveries(shopId, deliveries));
  }

  /** Sends the jobs of recorded deliveries, then marks them queued (a crash in between leaves them to the sweeper). */
  private async queue(shopId: string, rows: readonly { id: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.enqueue(rows.map((row) => ({ shopId, deliveryId: row.id })));
    await this.stores.alerts.markQueued(rows.map((row) => row.id));
  }

  /**
   * One attempt of a delivery (the alert job): posts the signed body and logs the attempt. Throws
   * when it failed and attempts remain (pg-boss retries the job with backoff); a delivery already
   * sent, whose rule is gone, or that another attempt holds (a second job of it) is not posted.
   */
  async deliver(shopId: string, deliveryId: string): Promise<void> {
    const found = await this.stores.alerts.claim(shopId, deliveryId, this.timeoutMs + 30_000);
    if (!found) return;
    const { delivery, rule } = found;
    const facts = delivery.facts as unknown as AlertFacts;
    const message = alertBody(facts, rule, delivery);
    const body = JSON.stringify(message);
    const final = delivery.attempts + 1 >= this.attempts;
    const signature = alertSignature(rule.secret, body);
    const { responseStatus, error } = rule.email !== null ? { responseStatus: null, error: await this.mail(rule.email, alertText(facts, 'plain'), body, signature, delivery.id) } : await this.post(rule.url!, body, signature, delivery.id);
    await this.stores.alerts.recordAttempt(shopId, deliveryId, { ok: error === null, responseStatus, error, final });
    if (error !== null) {
      this.log?.warn({ shopId, deliveryId, ruleId: rule.id, attempt: delivery.attempts + 1, responseStatus, error }, final ? 'alert delivery failed' : 'alert delivery attempt failed; it is retried');
      if (!final) throw new Error(error);
    }
  }

  /** Posts an alert to a webhook: the receiver's status, and the error when it is not 2xx or there is no answer. */
  private async post(url: string, body: string, signature: string, deliveryId: string): Promise<{ responseStatus: number | null; error: string | null }> {
    if (this.publicUrlsOnly) {
      // Checked again at each attempt: the host may resolve elsewhere since the rule was added.
      const problem = await nonPublicHostProblem(new URL(url));
      if (problem) return { responseStatus: null, error: `not delivered: ${problem} (alerts go to public addresses only)` };
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'RefundSentry-Alerts/1', [SIGNATURE_HEADER]: signature, 'X-RefundSentry-Delivery': deliveryId },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      return { responseStatus: response.status, error: response.status < 200 || response.status > 299 ? `the receiver answered HTTP ${response.status}` : null };
    } catch (failure) {
      const cause = (failure as { cause?: { code?: string; message?: string } }).cause;
      return { responseStatus: null, error: (failure as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : `not delivered: ${cause?.code ?? cause?.message ?? (failure as Error).message}` };
    }
  }

  /** Mails an alert: the text as subject and first line, then the signed JSON body (as the webhooks get it). Returns the error, if any. */
  private async mail(to: string, text: string, body: string, signature: string, deliveryId: string): Promise<string | null> {
    if (!this.mailer) return 'email alerts need SMTP_URL and SMTP_FROM (not set on this server)';
    try {
      await this.mailer.send({
        to,
        subject: text.length > 150 ? `${text.slice(0, 149)}…` : text,
        text: `${text}\n\nThe facts (JSON, signed in the ${SIGNATURE_HEADER} header with the rule's secret):\n${body}\n`,
        headers: { [SIGNATURE_HEADER]: signature, 'X-RefundSentry-Delivery': deliveryId },
      });
      return null;
    } catch (failure) {
      const code = (failure as { responseCode?: number; code?: string }).responseCode ?? (failure as { code?: string }).code;
      return `not mailed${code ? ` (${code})` : ''}: ${(failure as Error).message.slice(0, 300)}`;
    }
  }
}

/** The mailer over an SMTP server (nodemailer; `url` as in SMTP_URL). */
export async function smtpMailer(smtp: { url: string; from: string }): Promise<AlertMailer> {
  const { createTransport } = await import('nodemailer');
  const transport = createTransport(smtp.url, { from: smtp.from });
  return {
    async send(message) {
      await transport.sendMail({ from: smtp.from, ...message });
    },
  };
}

/** The webhook body: Slack-compatible (`text`, `blocks`) plus the facts under `refundsentry`. */
export function alertBody(facts: AlertFacts, rule: AlertRuleRow, delivery: AlertDeliveryRow): { text: string; blocks: object[]; refundsentry: AlertFacts & { ruleId: string; deliveryId: string } } {
  const text = alertText(facts, 'mrkdwn');
  return {
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
    refundsentry: { ...facts, ruleId: rule.id, deliveryId: delivery.id },
  };
}

function money(amount: number, currency: string | undefined): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency ?? 'USD' }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency ?? ''}`.trim();
  }
}

const numberOf = (gid: string) => gid.replace(/^gid:\/\/shopify\/\w+\//, '');

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
const units = (n: number) => (n === 1 ? '1 unit' : `${n} units`);

/** Text from the shop's catalogue in Slack's mrkdwn: &, < and > escaped (no `<!channel>` from a product title), at most 80 characters. */
function quoted(text: string, format: 'mrkdwn' | 'plain'): string {
  const short = text.length > 80 ? `${text.slice(0, 79)}…` : text;
  return format === 'plain' ? short : short.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** An alert's one line: in Slack's mrkdwn for the webhook body, plain for an email's subject and first line. */
export function alertText(facts: AlertFacts, format: 'mrkdwn' | 'plain'): string {
  if (facts.event === 'high-order-value') {
    return `RefundSentry: HIGH-risk order ${numberOf(facts.orderId)}, score ${facts.score} of 100, total ${money(facts.total ?? 0, facts.currency)} (alerts from ${money(facts.minValue ?? 0, facts.currency)}).`;
  }
  if (facts.event === 'chargebacks-week') {
    return `RefundSentry: ${facts.count} chargebacks opened in the last 7 days, more than the alert threshold of ${facts.threshold}.`;
  }
  if (facts.event === 'sku-return-rate') {
    const { recent, baseline } = facts;
    const name = facts.title ? `${quoted(facts.sku, format)} (${quoted(facts.title, format)})` : quoted(facts.sku, format);
    return `RefundSentry: the return rate of SKU ${name} at least doubled: ${percent(recent.rate)} in the last 30 days (${units(recent.returned)} returned of ${recent.sold} sold), against ${percent(baseline.rate)} in the 90 days before (${units(baseline.returned)} of ${baseline.sold}).`;
  }
  const members = facts.ringMembers === 1 ? '1 member' : `${facts.ringMembers} members`;
  const shared = facts.matched && facts.matched.length > 0 ? `, sharing ${facts.matched.join(', ')}` : '';
  return `RefundSentry: order ${numberOf(facts.orderId)} matches a known fraud ring (${members}, ring score ${facts.ringScore})${shared}.`;
}

function checkEmail(raw: string): string {
  const email = typeof raw === 'string' ? raw.trim() : '';
  if (email.length > 254 || !/^[^\s@<>(),;:"\[\]\\]+@[^\s@<>(),;:"\[\]\\]+\.[^\s@<>(),;:"\[\]\\]+$/.test(email)) throw new Refused(400, `email is not an email address: ${JSON.stringify(String(raw).slice(0, 100))}`);
  return email;
}

function checkThreshold(value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > MAX_THRESHOLD) throw new Refused(400, `threshold must be a whole number from ${min} to ${MAX_THRESHOLD}`);
  return value;
}

function checkUrl(raw: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new Refused(400, 'url is required: the webhook URL to post alerts to');
  if (raw.length > MAX_URL_LENGTH) throw new Refused(400, `url must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Refused(400, `url is not a URL: ${JSON.stringify(raw.slice(0, 100))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Refused(400, `url must be http or https, not ${url.protocol.replace(/:$/, '')}`);
  if (url.username || url.password) throw new Refused(400, 'url must not carry a user name or password');
  return url.toString();
}

function ruleView(row: AlertRuleRow): Sendable<AlertRule> {
  return {
    id: row.id,
    kind: row.kind,
    minValue: row.min_value === null ? null : Number(row.min_value),
    threshold: row.threshold,
    url: row.url,
    email: row.email,
    enabled: row.enabled,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function deliveryView(row: AlertDeliveryRow): Sendable<AlertDelivery> {
  return {
    id: row.id,
    ruleId: row.rule_id,
    eventKey: row.event_key,
    facts: row.facts as unknown as AlertFacts,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    responseStatus: row.response_status,
    createdAt: row.created_at,
    lastAttemptAt: row.last_attempt_at,
    sentAt: row.sent_at,
  };
}
