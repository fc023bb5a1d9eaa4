import type { Knex } from 'knex';

/** A line of the audit log as stored. */
export interface AuditRow {
  /** bigserial, as a string. */
  id: string;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  at: Date;
}

/** Which lines of the log to read: newest first, `limit` of them (100 by default) from before the row `before`. */
export interface AuditFilters {
  /** Only this subject's lines (exact). */
  subject?: string;
  /** Only this action, or this family of actions (`ruleset` → `ruleset.publish`, `ruleset.rollback`, …). */
  action?: string;
  /** Keyset: only lines with a smaller row id than this one. */
  before?: string;
  limit?: number;
}

/** Who did what, when: publishes, rollbacks, hold releases, labels, GDPR requests, revisions. */
export class AuditStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  async record(shopId: string, actor: string, action: string, subject: string | null, details: Record<string, unknown> = {}, trx: Knex = this.db): Promise<void> {
    await trx('audit_log').insert({ shop_id: shopId, actor, action, subject, details: JSON.stringify(details) });
  }

  /**
   * The shop's log, newest first (by row id, the order lines were written in), filtered by subject
   * and action, paged by keyset on the row id (`before`).
   */
  list(shopId: string, filters: AuditFilters = {}): Promise<AuditRow[]> {
    const q = this.db('audit_log').where({ shop_id: shopId });
    if (filters.subject !== undefined) q.andWhere('subject', filters.subject);
    if (filters.action !== undefined) {
      const action = filters.action;
      q.andWhere((w) => w.where('action', action).orWhereRaw('left(action, ?) = ?', [action.length + 1, `${action}.`]));
    }
    if (filters.before !== undefined) q.andWhere('id', '<', filters.before);
    return q.select('id', 'actor', 'action', 'subject', 'details', 'at').orderBy('id', 'desc').limit(filters.limit ?? 100) as Promise<AuditRow[]>;
  }
}
