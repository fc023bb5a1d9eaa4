import type { DecisionAction, DecisionDetail, DecisionRevision, RevisionTrigger, Zone } from '../api.ts';
import { gidLabel } from './format.ts';

/** What made a decision be looked at again, in a merchant's words (one per trigger kind of the contract). */
export const TRIGGER_WORDS: Record<RevisionTrigger['kind'], string> = {
  transaction: "The order's payment transaction arrived",
  'order.updated': 'The order was updated or edited',
  fulfillment: "The order's fulfilment or delivery arrived",
  chargeback: "A chargeback was filed on one of the customer's orders",
  label: "One of the customer's orders was labelled fraud",
  ring: 'The customer was linked to a fraud ring',
};

/** The records a trigger names, in words (`gid://shopify/ShopifyPaymentsDispute/1` → "chargeback 1"). */
const FACT_NAMES: Record<string, string> = { ShopifyPaymentsDispute: 'chargeback', OrderTransaction: 'transaction', Fulfillment: 'fulfilment', Order: 'order', Return: 'return', Refund: 'refund', Customer: 'customer' };

function factName(gid: string): string {
  const match = /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(gid);
  return match ? `${FACT_NAMES[match[1]!] ?? match[1]} ${match[2]}` : gidLabel(gid);
}

/**
 * A trigger as one line: what happened, which record, and how many updates were folded into it.
 * `own` names the record the page is about (`{ id, name }`: the order and its name, "#1001"): a
 * trigger naming it says so instead of its number.
 */
export function triggerText(trigger: RevisionTrigger | null, own?: { id: string; name: string }): string {
  if (!trigger) return 'First decision';
  const record = trigger.factId ? ` — ${own && trigger.factId === own.id ? own.name : factName(trigger.factId)}` : '';
  const folded = trigger.coalesced && trigger.coalesced > 1 ? ` (${trigger.coalesced} updates folded into one revision)` : '';
  return `${TRIGGER_WORDS[trigger.kind] ?? trigger.kind}${record}${folded}`;
}

/** A proposal a revision made: release the hold this app placed (the merchant decides). */
export interface ReleaseProposal {
  action: DecisionAction;
  holdActionId: string;
  /** The hold it would release (an action of an earlier revision), when listed. */
  hold: DecisionAction | undefined;
}

/** One revision of a decision with the actions it chose and what it proposes. */
export interface RevisionGroup {
  revision: DecisionRevision;
  current: boolean;
  actions: DecisionAction[];
  /** Open proposals (`proposed`) to release a hold. */
  proposals: ReleaseProposal[];
}

/**
 * A decision's history, newest first: each revision with the actions that revision chose (an
 * action whose revision is not listed goes under the latest revision before it), and its open
 * proposals to release a hold.
 */
export function revisionGroups(detail: Pick<DecisionDetail, 'revisions' | 'actions' | 'revision' | 'score' | 'zone' | 'ruleset' | 'decidedAt'>): RevisionGroup[] {
  const revisions: DecisionRevision[] =
    detail.revisions.length > 0
      ? [...detail.revisions].sort((a, b) => a.revision - b.revision)
      : [{ revision: detail.revision, score: detail.score, zone: detail.zone, ruleset: detail.ruleset, trigger: null, knownAt: detail.decidedAt, madeAt: detail.decidedAt, change: null, moved: [] }];
  const groups = revisions.map((revision) => ({ revision, current: false, actions: [] as DecisionAction[], proposals: [] as ReleaseProposal[] }));
  groups.at(-1)!.current = true;
  for (const action of detail.actions) {
    const owner = [...groups].reverse().find((g) => g.revision.revision <= (action.revision ?? 0)) ?? groups[0]!;
    owner.actions.push(action);
    const holdActionId = releaseOf(action);
    if (holdActionId) owner.proposals.push({ action, holdActionId, hold: detail.actions.find((a) => a.id === holdActionId) });
  }
  return groups.reverse();
}

/** The hold an open release proposal names (`fulfillment.release`, `proposed`, `result.holdActionId`). */
function releaseOf(action: DecisionAction): string | undefined {
  if (action.type !== 'fulfillment.release' || action.status !== 'proposed') return undefined;
  const id = (action.result as { holdActionId?: unknown } | null)?.holdActionId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

const ZONE = (zone: string) => zone.toUpperCase();

/**
 * An audit line's details in a sentence where the action is known (a revision: "Revision 2: LOW
 * 1.8 → HIGH 73.8. A chargeback was filed …"), else its fields as "key value; key value".
 */
export function auditDetails(action: string, details: Record<string, unknown>): string {
  if (action === 'decision.revise') {
    const from = details.from as { score?: number; zone?: Zone } | undefined;
    const to = details.to as { score?: number; zone?: Zone } | undefined;
    const trigger = details.trigger as RevisionTrigger | undefined;
    const scores = from && to ? `: ${ZONE(String(from.zone))} ${round(from.score)} → ${ZONE(String(to.zone))} ${round(to.score)}` : '';
    return `Revision ${String(details.revision)}${scores}. ${trigger ? triggerText(trigger) : ''}`.trim();
  }
  return Object.entries(details)
    .map(([key, value]) => `${key.replace(/([A-Z])/g, ' $1').toLowerCase()} ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`)
    .join('; ');
}

const round = (n: number | undefined) => (typeof n === 'number' ? Math.round(n * 10) / 10 : '?');
