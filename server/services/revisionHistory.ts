import type { DecisionRevision, RevisionTrigger, Sendable } from '../../contract/index.ts';
import type { Decision } from '../../engine/index.ts';
import type { DecisionRevisionRow, DecisionRow } from '../store/DecisionStore.ts';

/** What a trigger was, as the end of "score rose from 28 to 71 when …". */
const TRIGGER_PHRASES: Record<RevisionTrigger['kind'], string> = {
  transaction: "the order's payment transaction arrived",
  'order.updated': 'the order was updated (lines, amounts, addresses or identifiers changed)',
  fulfillment: "the order's fulfilment or delivery arrived",
  chargeback: "a chargeback was filed on one of the customer's orders",
  label: "one of the customer's orders was labelled fraud",
  ring: 'the customer was linked to a fraud ring',
};

/**
 * A decision's revisions as the API shows them (oldest first, the current one last): each with
 * its trigger and a sentence saying what changed from the one before, naming the signals whose
 * points moved most by their catalog titles (`titleOf`), scores and points in whole numbers
 * ("Score rose from 28 to 71 (LOW → HIGH) when the order's payment transaction arrived: …").
 */
export function revisionHistory(superseded: readonly DecisionRevisionRow[], current: DecisionRow, titleOf: (signalId: string) => string | undefined = () => undefined): Sendable<DecisionRevision>[] {
  const all = [
    ...superseded.map((r) => ({ revision: r.revision, score: Number(r.score), zone: r.zone, ruleset: { id: r.ruleset_id, version: r.ruleset_version }, trigger: r.trigger, knownAt: r.known_at, madeAt: r.created_at, trace: r.trace })),
    {
      revision: current.revision ?? 0,
      score: Number(current.score),
      zone: current.zone,
      ruleset: { id: current.ruleset_id, version: current.ruleset_version },
      trigger: current.trigger ?? null,
      knownAt: current.known_at ?? current.decided_at,
      madeAt: current.revised_at ?? current.created_at,
      trace: current.trace,
    },
  ];
  return all.map(({ trace, ...r }, i): Sendable<DecisionRevision> => {
    if (i === 0) return { ...r, change: null, moved: [] };
    const before = all[i - 1]!;
    const moved = movedSignals(before.trace, trace);
    const verb = r.score > before.score ? 'rose' : r.score < before.score ? 'fell' : 'stayed';
    const zones = r.zone === before.zone ? '' : ` (${before.zone.toUpperCase()} → ${r.zone.toUpperCase()})`;
    const when = r.trigger ? ` when ${TRIGGER_PHRASES[r.trigger.kind]}${r.trigger.coalesced ? ` (${r.trigger.coalesced} updates folded into one revision)` : ''}` : '';
    const why = moved.length > 0 ? `: ${moved.map((m) => `${titleOf(m.id) ?? m.id} ${signed(m.to - m.from)}${m.message ? ` (${m.message})` : ''}`).join('; ')}` : '';
    return { ...r, change: `Score ${verb} from ${round(before.score)} to ${round(r.score)}${zones}${when}${why}`, moved };
  });
}

function movedSignals(before: Decision, after: Decision): DecisionRevision['moved'] {
  const was = new Map(before.signals.map((s) => [s.id, s.points]));
  return after.signals
    .map((s) => ({ id: s.id, from: was.get(s.id) ?? 0, to: s.points, message: s.message }))
    .filter((m) => Math.abs(m.to - m.from) >= 0.01)
    .sort((a, b) => Math.abs(b.to - b.from) - Math.abs(a.to - a.from))
    .slice(0, 3);
}

/** Whole numbers, as the admin shows scores and points (the exact values are in the traces). */
const round = (n: number) => Math.round(n);
const signed = (n: number) => `${n > 0 ? '+' : '−'}${round(Math.abs(n))} ${round(Math.abs(n)) === 1 ? 'point' : 'points'}`;
