import type { Instant, Zone } from './common.ts';

/** What an alert rule watches: a HIGH order decision whose order total is at least `minValue`, or a ring alert (a new order matching a known fraud ring). */
export type AlertKind = 'high-order-value' | 'ring-alert';

/** An alert rule of a shop: what it watches and the webhook it posts to (its signing secret is shown once, when it is created). */
export interface AlertRule {
  id: string;
  kind: AlertKind;
  /** `high-order-value` only: the order total (in the order's currency) from which a HIGH order alerts. */
  minValue: number | null;
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
  /** One destination: a webhook URL or an email address. */
  url?: string;
  email?: string;
}

/** `POST /api/alerts` answer (201): the rule with its signing secret, shown this once. */
export interface AlertRuleCreated extends AlertRule {
  /** The HMAC-SHA256 key of the `X-RefundSentry-Signature: sha256=<hex>` header on every delivery of the rule. */
  secret: string;
}

/** `DELETE /api/alerts/{id}`. */
export interface AlertRuleDeleted {
  deleted: string;
}

/** The facts an alert carries (the `refundsentry` object of the body): ids, zone, score and amounts, no personal data. */
export interface AlertFacts {
  event: AlertKind;
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

/** One event sent (or being sent) to one rule's webhook. */
export interface AlertDelivery {
  id: string;
  ruleId: string;
  /** `order:<gid>` or `ring-alert:<id>`: one delivery per event and rule. */
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
