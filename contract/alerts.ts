import type { Instant, Zone } from './common.ts';

/**
 * What an alert rule watches: a HIGH order decision whose order total is at least `minValue`
 * (`high-order-value`); a ring alert, a new order matching a known fraud ring (`ring-alert`); more
 * than `threshold` chargebacks in a rolling 7 days (`chargebacks-week`: once per breach, when the
 * count goes above it); a SKU's return rate over the last 30 days at least twice its rate over the
 * 90 days before (`sku-return-rate`: once per SKU and breach, with volume floors).
 */
export type AlertKind = 'high-order-value' | 'ring-alert' | 'chargebacks-week' | 'sku-return-rate';

/** An alert rule of a shop: what it watches and the webhook it posts to (its signing secret is shown once, when it is created). */
export interface AlertRule {
  id: string;
  kind: AlertKind;
  /** `high-order-value` only: the order total (in the order's currency) from which a HIGH order alerts. */
  minValue: number | null;
  /**
   * `chargebacks-week`: the count of chargebacks in 7 days above which it alerts (required);
   * `sku-return-rate`: the fewest units of a SKU returned in the last 30 days for it to be compared
   * (default 5). Null for the other kinds.
   */
  threshold: number | null;
  /** The webhook URL the alert is posted to (Slack-compatible JSON); null when the rule sends email. */
  url: string | null;
  /** The address the alert is mailed to (through the server's SMTP server); null when the rule posts to `url`. */
  email: string | null;
  enabled: boolean;
  createdBy: string;
  createdAt: Instant;
}

/** `GET /api/alerts`. */
export interface AlertRuleList {
  rules: AlertRule[];
}

/** `POST /api/alerts` body. */
export interface NewAlertRule {
  kind: AlertKind;
  minValue?: number;
  /** A whole number from 1: see `AlertRule.threshold`. */
  threshold?: number;
  /** One destination: a webhook URL or an email address. */
  url?: string;
  email?: string;
}

/** `POST /api/alerts` answer (201): the rule with its signing secret, shown this once. */
export interface AlertRuleCreated extends AlertRule {
  /** The HMAC-SHA256 key of the `X-RefundSentry-Signature: sha256=<hex>` header on every delivery of the rule. */
  secret: string;
}

/** `PATCH /api/alerts/{id}` body: turns a rule on or off (answered with the rule). A rule turned off records nothing; its deliveries already recorded are still sent. */
export interface AlertRuleUpdate {
  enabled: boolean;
}

/** `DELETE /api/alerts/{id}`. */
export interface AlertRuleDeleted {
  deleted: string;
}

/** The facts of an order's alert (`high-order-value`, `ring-alert`). */
export interface OrderAlertFacts {
  event: 'high-order-value' | 'ring-alert';
  shop: string;
  orderId: string;
  decisionId?: string;
  zone?: Zone;
  score?: number;
  total?: number;
  currency?: string;
  minValue?: number;
  ringKey?: string;
  ringScore?: number;
  ringMembers?: number;
  matched?: string[];
  member?: boolean;
  at: Instant;
}

/** The facts of a `chargebacks-week` alert: the count of chargebacks (by the time each dispute was opened) in the 7 days to `at`. */
export interface ChargebacksWeekFacts {
  event: 'chargebacks-week';
  shop: string;
  count: number;
  threshold: number;
  /** The window: (from, at]. */
  from: Instant;
  at: Instant;
}

/** Units of a SKU sold (order lines) and returned (return lines) in a window, and their ratio. */
export interface SkuWindow {
  from: Instant;
  to: Instant;
  sold: number;
  returned: number;
  /** returned / sold, rounded to 4 places. */
  rate: number;
}

/** The facts of a `sku-return-rate` alert: the SKU's last 30 days against the 90 days before them. */
export interface SkuReturnRateFacts {
  event: 'sku-return-rate';
  shop: string;
  sku: string;
  title: string | null;
  recent: SkuWindow;
  baseline: SkuWindow;
  /** recent.rate / baseline.rate, rounded to 2 places; null when nothing was returned in the baseline. */
  ratio: number | null;
  /** The rule's floor: units returned in the last 30 days. */
  minReturns: number;
  at: Instant;
}

/** The facts an alert carries (the `refundsentry` object of the body): ids, counts, zone, score and amounts, no personal data. */
export type AlertFacts = OrderAlertFacts | ChargebacksWeekFacts | SkuReturnRateFacts;

/** One event sent (or being sent) to one rule's webhook. */
export interface AlertDelivery {
  id: string;
  ruleId: string;
  /** `order:<gid>`, `ring-alert:<id>`, `chargebacks-week:<breach start>` or `sku-return-rate:<sku>:<breach start>`: one delivery per event and rule. */
  eventKey: string;
  facts: AlertFacts;
  /** pending: queued; retrying: an attempt failed, another comes; sent: the receiver answered 2xx; failed: every attempt failed. */
  status: 'pending' | 'retrying' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  /** The receiver's HTTP status on the last attempt (null when it never answered). */
  responseStatus: number | null;
  createdAt: Instant;
  lastAttemptAt: Instant | null;
  sentAt: Instant | null;
}

/** `GET /api/alerts/deliveries?limit=&ruleId=`: newest first. */
export interface AlertDeliveryList {
  deliveries: AlertDelivery[];
}
