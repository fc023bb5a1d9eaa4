import type { Instant } from './common.ts';

/**
 * One line of a shop's audit log: who (`actor`: a staff user's id, `refundsentry` for what the app
 * decided by itself — a revision —, `shopify` for Shopify's requests, `system`), did what
 * (`action`: `decision.revise`, `outcome.label`, `hold.release`, `ruleset.publish`, `snooze.add`,
 * `holdout.set`, …), to what (`subject`: a Shopify GID, a row id, a ruleset version `v3`, the shop,
 * or `kind:hash` for a list entry; null for shop-wide settings) and the details the action records
 * (a revision's `{decisionId, revision, from, to, trigger}`, a label's `{label}`, …).
 */
export interface AuditEntry {
  /** The row id, also the keyset cursor (`before`). */
  id: string;
  at: Instant;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

/**
 * `GET /api/audit?subject=&action=&limit=&before=`: the newest entries first; `next` is the id to
 * pass as `before` for the page after this one (null on the last page). `action` matches an action
 * or its family (`ruleset` matches `ruleset.publish`, `ruleset.rollback`, …).
 */
export interface AuditPage {
  entries: AuditEntry[];
  next: string | null;
}
