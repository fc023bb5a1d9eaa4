import type { Logger } from 'pino';
import type { Decision } from '../../engine/index.ts';
import type { Stores } from '../store/index.ts';

export interface BudgetGuardLimits {
  /** How many of a version's latest decisions are looked at (default 100). */
  window: number;
  /** A version is over budget when this many decisions of the window used up their expression budget (default 5). */
  maxExhausted: number;
  /** …or when its custom expressions used more than this many steps in one minute, over all its decisions (default 60,000,000: about 2-8 s of CPU). */
  stepsPerMinute: number;
}

export const DEFAULT_BUDGET_GUARD_LIMITS: BudgetGuardLimits = { window: 100, maxExhausted: 5, stepsPerMinute: 60_000_000 };

interface VersionUse {
  /** Whether each of the latest decisions exhausted its budget, as a ring. */
  recent: Uint8Array;
  next: number;
  seen: number;
  exhausted: number;
  minute: number;
  stepsThisMinute: number;
  tripped: boolean;
}

/**
 * Charges each shop for what its custom expressions cost in live scoring (and backfills), per
 * ruleset version, and marks a version over budget when it keeps exceeding it: too many of its
 * decisions used up their per-decision budget, or its expressions used too many steps in a
 * minute. A marked version is recorded in the store (every process then scores that shop with its
 * last good version, `ScoringService.rulesetFor`), in the audit log and in the server log. Only
 * that shop is affected; publishing a new version starts afresh.
 *
 * The counts are per process: with several processes each judges what it scored.
 */
export class RulesetBudgetGuard {
  private readonly stores: Stores;
  private readonly log: Logger | undefined;
  private readonly limits: BudgetGuardLimits;
  private readonly now: () => number;
  private readonly uses = new Map<string, VersionUse>();
  private pending: { shopId: string; version: number; reason: string }[] = [];

  constructor(stores: Stores, options: { log?: Logger; limits?: Partial<BudgetGuardLimits>; now?: () => number } = {}) {
    this.stores = stores;
    this.log = options.log;
    this.limits = { ...DEFAULT_BUDGET_GUARD_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
  }

  /** Records what one decision's expressions cost (nothing for a ruleset without expressions). */
  record(shopId: string, version: number, expressions: Decision['expressions']): void {
    if (!expressions) return;
    const key = `${shopId}|${version}`;
    let use = this.uses.get(key);
    if (!use) {
      use = { recent: new Uint8Array(this.limits.window), next: 0, seen: 0, exhausted: 0, minute: 0, stepsThisMinute: 0, tripped: false };
      this.uses.set(key, use);
    }
    if (use.tripped) return;
    const exhausted = expressions.exhausted ? 1 : 0;
    if (use.seen >= this.limits.window) use.exhausted -= use.recent[use.next]!;
    use.recent[use.next] = exhausted;
    use.exhausted += exhausted;
    use.next = (use.next + 1) % this.limits.window;
    use.seen++;
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== use.minute) {
      use.minute = minute;
      use.stepsThisMinute = 0;
    }
    use.stepsThisMinute += expressions.steps;
    let reason: string | undefined;
    if (use.exhausted >= this.limits.maxExhausted) {
      reason = `${use.exhausted} of its last ${Math.min(use.seen, this.limits.window)} decisions used up the per-decision budget of ${expressions.limit.toLocaleString('en-US')} expression steps`;
    } else if (use.stepsThisMinute > this.limits.stepsPerMinute) {
      reason = `its custom expressions used more than ${this.limits.stepsPerMinute.toLocaleString('en-US')} steps within a minute`;
    }
    if (reason) {
      use.tripped = true;
      this.pending.push({ shopId, version, reason });
    }
  }

  /** Marks the versions found over budget since the last call (in the store, the audit log and the log). */
  async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    for (const { shopId, version, reason } of pending) {
      const marked = await this.stores.rulesets.markOverBudget(shopId, version, reason);
      if (!marked) continue;
      const fallback = await this.stores.rulesets.lastGoodCached(shopId, version);
      const fallbackTo = fallback ? `version ${fallback.version}` : `version ${version} without its custom signals and derived facts`;
      await this.stores.audit.record(shopId, 'system', 'ruleset.over-budget', String(version), { reason, scoringWith: fallback?.version ?? null });
      this.log?.warn({ shopId, version, reason, scoringWith: fallback?.version ?? null }, `ruleset version over its expression budget: ${reason}; scoring with ${fallbackTo}`);
    }
  }
}
