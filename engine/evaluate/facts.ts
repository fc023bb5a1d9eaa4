import type { SignalContext } from '../../sdk/index.ts';
import type { Coverage, SignalTrace } from '../decision.ts';
import type { Zone } from '../ruleset.ts';

/** Evaluate stage: the facts a decision's expressions and action conditions read. */

/** What JSONata expressions see: the context's parts by name; `derived` is written by the ruleset's derived facts. */
export type ExpressionFacts = Record<string, unknown> & { derived: Record<string, unknown> };

/** The facts JSONata expressions see; `derived` starts as the context's own derived facts. */
export function expressionFacts(ctx: SignalContext, copyDerived: boolean): ExpressionFacts {
  const subject = ctx.subject;
  return {
    now: ctx.now,
    kind: subject.kind,
    subject,
    order: subject.order,
    return: subject.kind === 'return' ? subject.return : subject.kind === 'refund' ? (subject.return ?? undefined) : undefined,
    refund: subject.kind === 'refund' ? subject.refund : undefined,
    customer: ctx.customer,
    history: ctx.history,
    baseline: ctx.baseline,
    // Ruleset-derived facts are written into a copy; without any, the frozen original serves.
    derived: copyDerived ? { ...ctx.derived } : ctx.derived,
  };
}

/**
 * The facts action conditions see: the expression facts plus the decision itself. The
 * per-signal facts (`signals`, `hits`, `insufficient`, `errors`) are built only when some
 * condition of the ruleset names them.
 */
export function decisionFacts(
  facts: ExpressionFacts,
  signals: SignalTrace[],
  score: number,
  zone: Zone,
  coverage: Coverage,
  used: ReadonlySet<string>,
): Record<string, unknown> {
  const decision: Record<string, unknown> = {
    now: facts.now,
    kind: facts.kind,
    subject: facts.subject,
    order: facts.order,
    return: facts.return,
    refund: facts.refund,
    customer: facts.customer,
    derived: facts.derived,
    score,
    zone,
    coverage,
  };
  if (used.has('hits')) decision.hits = idsWithStatus(signals, 'hit');
  if (used.has('insufficient')) decision.insufficient = idsWithStatus(signals, 'insufficient_data');
  if (used.has('errors')) decision.errors = idsWithStatus(signals, 'error');
  if (used.has('signals')) {
    const byId: Record<string, { status: string; strength: number; points: number }> = {};
    for (const s of signals) byId[s.id] = { status: s.status, strength: s.strength, points: s.points };
    decision.signals = byId;
  }
  return decision;
}

function idsWithStatus(signals: SignalTrace[], status: SignalTrace['status']): string[] {
  const ids: string[] = [];
  for (const s of signals) if (s.status === status) ids.push(s.id);
  return ids;
}
