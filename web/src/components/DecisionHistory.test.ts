import { AppProvider } from '@shopify/polaris';
import en from '@shopify/polaris/locales/en.json' with { type: 'json' };
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DecisionAction, DecisionDetail, DecisionRevision } from '../api.ts';
import { DecisionHistory } from './DecisionHistory.tsx';
import { auditDetails, revisionGroups } from './revisions.ts';

/**
 * The decision page's History rendered to HTML (no browser): a decision held at HIGH by its first
 * decision, then lowered to LOW by a revision that proposes releasing the hold — the one case the
 * demo server of the browser test cannot produce (its actions are never performed: no store is
 * connected, so there is no hold to release). Shapes as `GET /api/decisions/{id}` answers them.
 */

const text = (detail: DecisionDetail) =>
  renderToStaticMarkup(createElement(AppProvider, { i18n: en }, createElement(DecisionHistory, { detail, release: () => undefined, releasing: false })))
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');

const action = (id: string, revision: number, type: string, status: string, result: unknown = null): DecisionAction => ({ id, type, ruleId: 'hold-high-risk', status, attempts: 1, result, error: null, revision });

const revisions: DecisionRevision[] = [
  { revision: 0, score: 81.2, zone: 'high', ruleset: { id: 'default', version: 3 }, trigger: null, knownAt: '2026-03-01T10:00:00.000Z', madeAt: '2026-03-01T10:00:01.000Z', change: null, moved: [] },
  {
    revision: 1,
    score: 22.4,
    zone: 'low',
    ruleset: { id: 'default', version: 3 },
    trigger: { kind: 'order.updated', factId: 'gid://shopify/Order/42', at: '2026-03-01T12:00:00.000Z', coalesced: 3 },
    knownAt: '2026-03-01T12:00:00.000Z',
    madeAt: '2026-03-01T12:00:02.000Z',
    change: 'Score fell from 81.2 to 22.4 (HIGH → LOW) when the order was updated: order.address-mismatch −58.8 points (billing and shipping agree)',
    moved: [{ id: 'order.address-mismatch', from: 58.8, to: 0, message: 'billing and shipping agree' }],
  },
];

const detail: DecisionDetail = {
  id: '7',
  kind: 'order',
  subjectId: 'gid://shopify/Order/42',
  orderId: 'gid://shopify/Order/42',
  orderName: '#1001',
  customerId: null,
  score: 22.4,
  zone: 'low',
  decidedAt: '2026-03-01T10:00:00.000Z',
  ruleset: { id: 'default', version: 3 },
  topSignals: [],
  insufficient: 0,
  errors: 0,
  holdout: false,
  revision: 1,
  risk: null as never,
  trace: null as never,
  outcomes: [],
  revisions,
  recommendation: { step: 'Release the hold', text: 'Low risk now, but fulfilment is still on hold from an earlier, higher score: release the hold unless you have another reason to keep it.' },
  signalNames: {},
  facts: { order: null, return: null, refund: null },
  links: { order: null, customer: null },
  actions: [
    action('11', 0, 'fulfillment.hold', 'done'),
    action('12', 0, 'customer.tag', 'done'),
    action('13', 1, 'customer.tag', 'done'),
    action('14', 1, 'fulfillment.release', 'proposed', { holdActionId: '11', reason: 'the score fell to LOW' }),
  ],
};

describe('DecisionHistory', () => {
  it('groups the actions under the revision that chose them, newest revision first, with its open release proposal', () => {
    const groups = revisionGroups(detail);
    expect(groups.map((g) => [g.revision.revision, g.current, g.actions.map((a) => a.id)])).toEqual([
      [1, true, ['13', '14']],
      [0, false, ['11', '12']],
    ]);
    expect(groups[0]!.proposals.map((p) => [p.holdActionId, p.hold?.id])).toEqual([['11', '11']]);
    expect(groups[1]!.proposals).toEqual([]);
  });

  it('shows each revision with zone, score, trigger in words, the change sentence, and the callout proposing the release', () => {
    const shown = text(detail);
    expect(shown).toContain('Revised once as new facts arrived');
    expect(shown).toMatch(/Revision 1 (Success )?Low 22 (Info )?Current/);
    expect(shown).toContain('Trigger: The order was updated or edited — order 42 (3 updates folded into one revision), on Mar 1, 2026');
    // With the order's facts, a trigger naming the decision's own order says so, by its name.
    const named = text({ ...detail, facts: { ...detail.facts, order: { id: 'gid://shopify/Order/42', name: '#1042', currency: 'EUR', placedAt: '2026-03-01T09:00:00.000Z', total: 10, subtotal: 10, discounts: 0, shipping: null, discountCodes: [], gateways: [], financialStatus: null, cancelled: false, items: [] } } });
    expect(named).toContain('Trigger: The order was updated or edited — this order (#1042) (3 updates folded into one revision)');
    expect(shown).toContain('Score fell from 81.2 to 22.4 (HIGH → LOW) when the order was updated');
    expect(shown).toContain('RefundSentry proposes releasing the hold it placed');
    expect(shown).toContain('The fulfilment hold RefundSentry placed (first decision) still keeps the order from shipping');
    expect(shown).toContain('Release the hold…');
    expect(shown).toMatch(/First decision (Critical )?High 81 /);
    expect(shown.indexOf('Revision 1')).toBeLessThan(shown.indexOf('First decision'));
    // Actions in words with their real state, never their raw types.
    expect(shown).toMatch(/Fulfilment hold (Success )?placed/);
    expect(shown).toMatch(/Release of the fulfilment hold (Attention )?proposed waiting for you/);
    expect(shown).not.toContain('fulfillment.hold');
    expect(shown).not.toContain('customer.tag');
  });

  it("says why an action was skipped, in Shopify's and the server's words", () => {
    const skipped = { ...detail, actions: [action('21', 1, 'customer.tag', 'skipped', { reason: 'no Shopify store connected (demo mode or awaiting reconnection)' }), action('22', 1, 'fulfillment.hold', 'skipped', { holds: [], notHeld: [], skipped: 'no-open-fulfillment-orders' })] };
    const shown = text(skipped);
    expect(shown).toContain('Customer risk tag skipped no Shopify store connected (demo mode or awaiting reconnection)');
    expect(shown).toContain('Fulfilment hold skipped no open fulfilment order to hold');
  });

  it('once the hold is released, the proposal is answered: no callout', () => {
    const released = { ...detail, actions: detail.actions.map((a) => (a.id === '11' ? { ...a, status: 'released' } : a.id === '14' ? { ...a, status: 'done' } : a)) };
    const shown = text(released);
    expect(shown).not.toContain('proposes releasing');
    expect(shown).not.toContain('Release hold');
    expect(revisionGroups(released)[0]!.proposals).toEqual([]);
  });

  it('a decision never revised says so', () => {
    const once = { ...detail, revision: 0, zone: 'high' as const, score: 81.2, revisions: revisions.slice(0, 1), actions: detail.actions.slice(0, 2) };
    const shown = text(once);
    expect(shown).toContain('Decided once; no new fact has changed it since.');
    expect(shown).toContain('Release hold');
  });
});

describe('auditDetails', () => {
  it('says a revision in words and other details as key and value', () => {
    expect(auditDetails('decision.revise', { decisionId: '7', revision: 2, from: { score: 1.84, zone: 'low' }, to: { score: 73.8, zone: 'high' }, trigger: { kind: 'chargeback', factId: null, at: '2026-03-01T12:00:00.000Z' } })).toBe(
      "Revision 2: LOW 1.8 → HIGH 73.8. A chargeback was filed on one of the customer's orders",
    );
    expect(auditDetails('decision.revise', { revision: 1, from: { score: 1.8, zone: 'low' }, to: { score: 46.8, zone: 'medium' }, trigger: { kind: 'transaction', factId: 'gid://shopify/OrderTransaction/150560818172775266', at: '2022-01-06T00:00:20.000Z' } })).toBe(
      "Revision 1: LOW 1.8 → MEDIUM 46.8. The order's payment transaction arrived — transaction 150560818172775266",
    );
    expect(auditDetails('holdout.set', { percent: 5 })).toBe('percent 5');
    expect(auditDetails('hold.release', { released: ['gid://shopify/FulfillmentOrder/1'] })).toBe('released ["gid://shopify/FulfillmentOrder/1"]');
  });
});
