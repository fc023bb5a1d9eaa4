import type { Knex } from 'knex';
import { contentHashOf, type Ruleset } from '../../engine/index.ts';
import { SHOP_DATA_TTL_MS, TtlCache } from './TtlCache.ts';

export interface RulesetRow {
  id: string;
  shop_id: string;
  ruleset_id: string;
  version: number;
  body: Ruleset;
  content_hash: string;
  status: 'draft' | 'published' | 'archived';
  created_by: string;
  created_at: Date;
  published_at: Date | null;
  /** Set while the version runs in shadow beside the live one (at most one per shop). */
  shadow_since?: Date | null;
  /** Set when its custom expressions kept exceeding their budget: the shop scores with its last good version instead. */
  over_budget_at?: Date | null;
  over_budget_reason?: string | null;
  /** How a fitted version was made (the fit's id, options, labels and report); null for a version written by hand. */
  note?: RulesetNote | null;
}

/** How a draft was made, kept beside its body: by a fit, or from accepted weight suggestions. */
export type RulesetNote = FitNote | SuggestionsNote;

/** The note a fitted draft keeps beside its body. */
export interface FitNote {
  kind: 'fit';
  fitId: string;
  /** The version it was fitted from. */
  fittedFrom: number;
  asOf: string;
  options: Record<string, unknown>;
  /** Label counts per subject kind at the fit. */
  labels: Record<string, unknown>;
  /** The fit's report (`FitReport`: split, per-kind fits, held-out metrics and calibration). */
  report: unknown;
}

/** A draft made of accepted weight suggestions: each with its evidence, and the preview of all of them. */
export interface SuggestionsNote {
  kind: 'suggestions';
  /** The version the suggestions were made for. */
  fittedFrom: number;
  asOf: string;
  accepted: unknown[];
  preview: unknown;
}

export class RulesetConflictError extends Error {
  readonly latestVersion: number;
  constructor(message: string, latestVersion: number) {
    super(message);
    this.name = 'RulesetConflictError';
    this.latestVersion = latestVersion;
  }
}

/**
 * Ruleset versions: immutable once published. Editing makes a draft (a new version number),
 * publishing swaps the live version atomically, rollback publishes an old body as a new version.
 */
export class RulesetStore {
  private readonly db: Knex;
  private readonly cache = new TtlCache<RulesetRow | undefined>(SHOP_DATA_TTL_MS);
  private readonly shadowCache = new TtlCache<RulesetRow | undefined>(SHOP_DATA_TTL_MS);
  private readonly lastGoodCache = new TtlCache<{ beforeVersion: number; row: RulesetRow | undefined }>(SHOP_DATA_TTL_MS);
  constructor(db: Knex) {
    this.db = db;
  }

  published(shopId: string): Promise<RulesetRow | undefined> {
    return this.db<RulesetRow>('rulesets').where({ shop_id: shopId, status: 'published' }).first();
  }

  /**
   * The published version for scoring: reused for a couple of seconds, forgotten at once when
   * this process publishes, rolls back or installs one (after the commit).
   */
  publishedCached(shopId: string): Promise<RulesetRow | undefined> {
    return this.cache.get(shopId, () => this.published(shopId));
  }

  forget(shopId: string): void {
    this.cache.forget(shopId);
    this.shadowCache.forget(shopId);
    this.lastGoodCache.forget(shopId);
  }

  /**
   * Marks a version whose custom expressions keep exceeding their budget (once: a version already
   * marked keeps its first reason). Returns whether this call marked it.
   */
  async markOverBudget(shopId: string, version: number, reason: string): Promise<boolean> {
    return this.forgetAfter(shopId, (async () => {
      const updated = await this.db('rulesets').where({ shop_id: shopId, version }).whereNull('over_budget_at').update({ over_budget_at: this.db.fn.now(), over_budget_reason: reason });
      return updated > 0;
    })());
  }

  /**
   * The version to score with while the published one is over budget: the latest version ever
   * published before it that is not over budget (undefined when there is none).
   */
  async lastGoodCached(shopId: string, beforeVersion: number): Promise<RulesetRow | undefined> {
    const load = () => this.lastGood(shopId, beforeVersion).then((row) => ({ beforeVersion, row }));
    let hit = await this.lastGoodCache.get(shopId, load);
    if (hit.beforeVersion !== beforeVersion) {
      this.lastGoodCache.forget(shopId);
      hit = await this.lastGoodCache.get(shopId, load);
    }
    return hit.row;
  }

  private lastGood(shopId: string, beforeVersion: number): Promise<RulesetRow | undefined> {
    return this.db<RulesetRow>('rulesets')
      .where({ shop_id: shopId })
      .where('version', '<', beforeVersion)
      .whereNotNull('published_at')
      .whereNull('over_budget_at')
      .orderBy('published_at', 'desc')
      .orderBy('version', 'desc')
      .first();
  }

  /** The version running in shadow, if any. */
  shadow(shopId: string): Promise<RulesetRow | undefined> {
    return this.db<RulesetRow>('rulesets').where({ shop_id: shopId }).whereNotNull('shadow_since').first();
  }

  /** The shadow version for scoring (reused for a couple of seconds, like the published one). */
  shadowCached(shopId: string): Promise<RulesetRow | undefined> {
    return this.shadowCache.get(shopId, () => this.shadow(shopId));
  }

  /** Runs a draft in shadow (replacing any other shadow version), or stops shadow mode with null. */
  async setShadow(shopId: string, version: number | null): Promise<RulesetRow | undefined> {
    return this.forgetAfter(shopId, this.db.transaction(async (trx) => {
      await trx('rulesets').where({ shop_id: shopId }).whereNotNull('shadow_since').update({ shadow_since: null });
      if (version === null) return undefined;
      const row = await trx<RulesetRow>('rulesets').where({ shop_id: shopId, version }).forUpdate().first();
      if (!row) throw new RulesetConflictError(`version ${version} does not exist`, await this.latestVersion(trx, shopId));
      if (row.status !== 'draft') throw new RulesetConflictError(`version ${version} is ${row.status}; only a draft runs in shadow`, await this.latestVersion(trx, shopId));
      const [updated] = await trx<RulesetRow>('rulesets').where({ id: row.id }).update({ shadow_since: trx.fn.now() as never }, '*');
      return updated;
    }));
  }

  /** Shadow decisions of a version, with the live decision of the same subject (its trace). */
  async shadowPairs(shopId: string, version: number, limit = 5_000): Promise<{ live: unknown; shadow: unknown; order_id: string | null; customer_id: string | null }[]> {
    const { rows } = await this.db.raw(
      `select d.trace as live, s.trace as shadow, d.order_id, d.customer_id
         from shadow_decisions s
         join decisions d on d.shop_id = s.shop_id and d.subject_kind = s.subject_kind and d.subject_id = s.subject_id
        where s.shop_id = ? and s.ruleset_version = ?
        order by s.decided_at desc limit ?`,
      [shopId, version, limit],
    );
    return rows as { live: unknown; shadow: unknown; order_id: string | null; customer_id: string | null }[];
  }

  /** Shadow decisions, written beside the live ones (never acted on); a subject decided twice keeps the first. */
  async insertShadowDecisions(rows: readonly { shop_id: string; ruleset_version: number; subject_kind: string; subject_id: string; customer_id: string | null; score: number; zone: string; trace: unknown; decided_at: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db('shadow_decisions')
      .insert(rows.map((r) => ({ ...r, trace: JSON.stringify(r.trace) })))
      .onConflict(['shop_id', 'ruleset_version', 'subject_kind', 'subject_id'])
      .ignore();
  }

  list(shopId: string): Promise<RulesetRow[]> {
    return this.db<RulesetRow>('rulesets').where({ shop_id: shopId }).orderBy('version', 'desc');
  }

  get(shopId: string, version: number): Promise<RulesetRow | undefined> {
    return this.db<RulesetRow>('rulesets').where({ shop_id: shopId, version }).first();
  }

  /**
   * Saves a draft as the next version. `baseVersion` is the version the editor started from: a
   * draft saved on top of a newer version is refused, so concurrent edits never overwrite.
   */
  async createDraft(shopId: string, body: Ruleset, createdBy: string, baseVersion: number | null, note: RulesetNote | null = null): Promise<RulesetRow> {
    return this.db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`rulesets:${shopId}`]);
      const latest = await this.latestVersion(trx, shopId);
      if (baseVersion !== null && baseVersion !== latest) {
        throw new RulesetConflictError(`version ${latest} was saved after version ${baseVersion}, which this draft started from; reload and edit the latest`, latest);
      }
      return this.insertVersion(trx, shopId, body, latest + 1, 'draft', createdBy, note);
    });
  }

  /** Makes a draft the live version; the previously published one is archived. */
  async publish(shopId: string, version: number, by: string): Promise<RulesetRow> {
    return this.forgetAfter(shopId, this.db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`rulesets:${shopId}`]);
      const row = await trx<RulesetRow>('rulesets').where({ shop_id: shopId, version }).first();
      if (!row) throw new RulesetConflictError(`version ${version} does not exist`, await this.latestVersion(trx, shopId));
      if (row.status !== 'draft') throw new RulesetConflictError(`version ${version} is ${row.status}; only a draft can be published (use rollback for an old version)`, await this.latestVersion(trx, shopId));
      await trx('rulesets').where({ shop_id: shopId, status: 'published' }).update({ status: 'archived' });
      const [published] = await trx<RulesetRow>('rulesets').where({ id: row.id }).update({ status: 'published', published_at: trx.fn.now() }, '*');
      await trx('audit_log').insert({ shop_id: shopId, actor: by, action: 'ruleset.publish', subject: `v${version}`, details: { contentHash: row.content_hash } });
      return published;
    }));
  }

  /** Publishes the body of an old version as a new version (history is never rewritten). */
  async rollback(shopId: string, toVersion: number, by: string): Promise<RulesetRow> {
    return this.forgetAfter(shopId, this.db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`rulesets:${shopId}`]);
      const old = await trx<RulesetRow>('rulesets').where({ shop_id: shopId, version: toVersion }).first();
      const latest = await this.latestVersion(trx, shopId);
      if (!old) throw new RulesetConflictError(`version ${toVersion} does not exist`, latest);
      await trx('rulesets').where({ shop_id: shopId, status: 'published' }).update({ status: 'archived' });
      const row = await this.insertVersion(trx, shopId, old.body, latest + 1, 'published', by);
      await trx('audit_log').insert({ shop_id: shopId, actor: by, action: 'ruleset.rollback', subject: `v${row.version}`, details: { from: toVersion } });
      return row;
    }));
  }

  /** Installs the default ruleset as version 1, published, if the shop has none. */
  async ensurePublished(shopId: string, body: Ruleset): Promise<RulesetRow> {
    const existing = await this.published(shopId);
    if (existing) return existing;
    return this.forgetAfter(shopId, this.db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`rulesets:${shopId}`]);
      const again = await trx<RulesetRow>('rulesets').where({ shop_id: shopId, status: 'published' }).first();
      if (again) return again;
      return this.insertVersion(trx, shopId, body, (await this.latestVersion(trx, shopId)) + 1, 'published', 'system');
    }));
  }

  /** Forgets the cached published version once a change has committed (or failed). */
  private async forgetAfter<T>(shopId: string, change: Promise<T>): Promise<T> {
    try {
      return await change;
    } finally {
      this.forget(shopId);
    }
  }

  /** The number of the shop's newest version (0 when it has none). */
  newestVersion(shopId: string): Promise<number> {
    return this.latestVersion(this.db, shopId);
  }

  private async latestVersion(trx: Knex, shopId: string): Promise<number> {
    const row = await trx('rulesets').where({ shop_id: shopId }).max<{ max: number | null }>('version as max').first();
    return row?.max ?? 0;
  }

  private async insertVersion(trx: Knex, shopId: string, body: Ruleset, version: number, status: RulesetRow['status'], by: string, note: RulesetNote | null = null): Promise<RulesetRow> {
    const stored = { ...body, version };
    const [row] = await trx<RulesetRow>('rulesets')
      .insert({
        shop_id: shopId,
        ruleset_id: stored.id,
        version,
        body: stored,
        content_hash: contentHashOf(stored),
        status,
        created_by: by,
        published_at: status === 'published' ? trx.fn.now() : null,
        note: note === null ? null : JSON.stringify(note),
      } as never)
      .returning('*');
    return row;
  }
}
