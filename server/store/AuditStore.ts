import type { Knex } from 'knex';

/** Who did what, when: publishes, rollbacks, hold releases, labels, GDPR requests. */
export class AuditStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  async record(shopId: string, actor: string, action: string, subject: string | null, details: Record<string, unknown> = {}, trx: Knex = this.db): Promise<void> {
    await trx('audit_log').insert({ shop_id: shopId, actor, action, subject, details: JSON.stringify(details) });
  }

  list(shopId: string, limit = 100): Promise<{ actor: string; action: string; subject: string | null; details: Record<string, unknown>; at: Date }[]> {
    return this.db('audit_log').where({ shop_id: shopId }).orderBy('id', 'desc').limit(limit);
  }
}
