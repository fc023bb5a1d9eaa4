import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AlertDelivery, AlertFacts, AlertKind, AlertRule, AlertRuleCreated, NewAlertRule, Sendable } from '../../contract/index.ts';
import type { OrderRecord } from '../../sdk/index.ts';
import { ALERT_ATTEMPTS, type AlertJob } from '../jobs/queues.ts';
import type { AlertDeliveryInput } from '../store/AlertStore.ts';
import type { AlertDeliveryRow, AlertRuleRow, DecisionRow, RingAlertRow, Stores } from '../store/index.ts';
import { Refused } from './Refused.ts';

export const ALERT_KINDS: readonly AlertKind[] = ['high-order-value', 'ring-alert'];
/** The header carrying `sha256=<hex HMAC-SHA256 of the raw body>` keyed with the rule's secret. */
export const SIGNATURE_HEADER = 'X-RefundSentry-Signature';
const MAX_URL_LENGTH = 2048;
const MAX_MIN_VALUE = 1e12;

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
 * Alerts (issue 23, item 5): a shop's rules (a HIGH order at or above a value; a ring alert),
 * matched after a live decision or ring alert is stored, each match recorded once per rule and
 * event in the delivery log and posted by a pg-boss job to the rule's webhook (Slack-compatible
 * JSON with the facts: ids, zone, score, amounts, never personal data; signed with the rule's
 * secret), retried with backoff, every attempt logged.
 */
export class AlertService {
  private readonly stores: Stores;
  private readonly enqueue: AlertServiceOptions['enqueue'];
  private readonly log: Logger | undefined;
  private readonly attempts: number;
  private readonly timeoutMs: number;
  private readonly mailer: AlertMailer | undefined;

  constructor(stores: Stores, options: AlertServiceOptions) {
    this.stores = stores;
    this.enqueue = options.enqueue;
    this.log = options.log;
    this.attempts = options.attempts ?? ALERT_ATTEMPTS;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.mailer = options.mailer;
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
    const secret = randomBytes(32).toString('hex');
    const row = await this.stores.db.transaction(async (trx) => {
      const added = await this.stores.alerts.addRule(shopId, { kind: input.kind, minValue, url, email, secret, createdBy: user }, trx);
      await this.stores.audit.record(shopId, user, 'alert.add', added.id, { kind: input.kind, minValue, url, email }, trx);
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
          const facts: AlertFacts = {
            event: 'high-order-value',
            shop: shopId,
            orderId: order.id,
            decisionId: String(decision.id),
            zone: decision.zone,
            score: Math.round(Number(decision.score)),
            total: order.totalPrice,
            currency: order.currency,
            minValue,
            at: order.createdAt,
          };
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
      const facts: AlertFacts = {
        event: 'ring-alert',
        shop: shopId,
        orderId: alert.order_id,
        ringKey: alert.ring_key,
        ringScore: Math.round(Number(alert.ring_score)),
        ringMembers: Number(alert.ring_members),
        matched: [...alert.matched],
        member: alert.member,
        at: new Date(alert.order_at).toISOString(),
      };
      return rules.map((rule) => ({ ruleId: rule.id, eventKey: `ring-alert:${alert.id}`, facts: { ...facts } }));
    });
    await this.record(shopId, deliveries);
  }

  private async record(shopId: string, deliveries: AlertDeliveryInput[]): Promise<void> {
    if (deliveries.length === 0) return;
    const created = await this.stores.alerts.recordDeliveries(shopId, deliveries);
    await this.enqueue(created.map((row) => ({ shopId, deliveryId: row.id })));
  }

  /**
   * One attempt of a delivery (the alert job): posts the signed body and logs the attempt. Throws
   * when it failed and attempts remain (pg-boss retries the job with backoff); a delivery already
   * sent, or whose rule is gone, is not posted again.
   */
  async deliver(shopId: string, deliveryId: string): Promise<void> {
    const found = await this.stores.alerts.delivery(shopId, deliveryId);
    if (!found || found.delivery.status === 'sent' || found.delivery.status === 'failed') return;
    const { delivery, rule } = found;
    const message = alertBody(delivery.facts as unknown as AlertFacts, rule, delivery);
    const body = JSON.stringify(message);
    const final = delivery.attempts + 1 >= this.attempts;
    const signature = alertSignature(rule.secret, body);
    const { responseStatus, error } = rule.email !== null ? { responseStatus: null, error: await this.mail(rule.email, message.text, body, signature, delivery.id) } : await this.post(rule.url!, body, signature, delivery.id);
    await this.stores.alerts.recordAttempt(shopId, deliveryId, { ok: error === null, responseStatus, error, final });
    if (error !== null) {
      this.log?.warn({ shopId, deliveryId, ruleId: rule.id, attempt: delivery.attempts + 1, responseStatus, error }, final ? 'alert delivery failed' : 'alert delivery attempt failed; it is retried');
      if (!final) throw new Error(error);
    }
  }

  /** Posts an alert to a webhook: the receiver's status, and the error when it is not 2xx or there is no answer. */
  private async post(url: string, body: string, signature: string, deliveryId: string): Promise<{ responseStatus: number | null; error: string | null }> {
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
  const text = alertText(facts);
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

function alertText(facts: AlertFacts): string {
  if (facts.event === 'high-order-value') {
    return `RefundSentry: HIGH-risk order ${numberOf(facts.orderId)}, score ${facts.score} of 100, total ${money(facts.total ?? 0, facts.currency)} (alerts from ${money(facts.minValue ?? 0, facts.currency)}).`;
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
