import { Badge, Banner, BlockStack, Box, Button, Card, Collapsible, Divider, InlineStack, Layout, Modal, Page, SkeletonBodyText, Text } from '@shopify/polaris';
import { type ReactNode, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import {
  api,
  type DecisionAction,
  type DecisionDetail as Detail,
  type DecisionList,
  type FromDecisionInput,
  type ListEntries,
  type ListName,
  type OrderFacts,
  type OutcomeRequest,
  type OutcomeRisk,
  openHtml,
  type RefundFacts,
  type ReturnFacts,
  type SignalLine,
  type SignalName,
} from '../api.ts';
import { actionState, actionTitle } from '../components/actions.ts';
import { DecisionHistory } from '../components/DecisionHistory.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { dateTime, enumWords, kindLabel, money, withoutGids } from '../components/format.ts';
import { SnoozeCard } from '../components/SnoozeCard.tsx';
import { useApi } from '../components/useApi.ts';
import { ZoneBadge } from '../components/ZoneBadge.tsx';

const KIND_PLURAL = { order: 'orders', return: 'returns', refund: 'refunds' } as const;
const ZONE_WORDS = { low: 'Low risk', medium: 'Medium risk', high: 'High risk' } as const;
/** A share as a merchant reads it: "34.3%", "8%", "0.4%". */
const percent = (p: number) => `${Math.round(p * 1000) / 10}%`;

/** Points as a whole number with their sign: "+12 points", "−20 points", "less than 1 point". */
function pointsText(points: number): string {
  if (points === 0) return '0 points';
  const whole = Math.round(Math.abs(points));
  if (whole === 0) return `${points > 0 ? '+' : '−'}less than 1 point`;
  return `${points > 0 ? '+' : '−'}${whole} point${whole === 1 ? '' : 's'}`;
}

/** An evidence value in words: numbers to at most two decimals, lists joined, GIDs in words. */
function evidenceValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString() : value.toLocaleString(undefined, { maximumFractionDigits: 2 });
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map(evidenceValue).join(', ') || 'none';
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return withoutGids(JSON.stringify(value));
  return withoutGids(String(value));
}

/** "accountMinutes" → "Account minutes". */
const keyWords = (key: string) => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words[0]!.toUpperCase() + words.slice(1);
};

/** The page's title: the order by its name ("Order #1001", "Return of order #1001"), never its GID. */
function subjectTitle(d: Detail): string {
  const name = d.facts.order?.name;
  if (d.kind === 'order') return name ? `Order ${name}` : 'Order';
  return name ? `${kindLabel(d.kind)} of order ${name}` : kindLabel(d.kind);
}

/**
 * The calibrated fraud risk of the decision's score (the version's known outcomes in its score
 * band, or its fit's held-out ones): the figure first, then what it rests on; without enough
 * outcomes, the server's words saying so — never a figure no count shows.
 */
function FraudRisk({ risk }: { risk: OutcomeRisk }) {
  const known = risk.probability !== null;
  return (
    <div id="fraud-risk" data-probability={risk.probability ?? ''}>
      <BlockStack gap="100">
        <InlineStack gap="200" blockAlign="center">
          {known ? (
            <Text as="h3" variant="headingMd" tone={risk.baseRate !== null && risk.probability! >= 2 * risk.baseRate ? 'critical' : undefined}>
              {`Fraud risk ${percent(risk.probability!)}`}
            </Text>
          ) : (
            <Text as="h3" variant="headingMd">Fraud risk</Text>
          )}
          {known && risk.basis?.source === 'held-out' ? <Badge tone="info">from the fit</Badge> : null}
        </InlineStack>
        <Text as="p" tone={known ? undefined : 'subdued'}>{risk.explanation}</Text>
        {known && risk.baseRate !== null ? (
          <Text as="p" variant="bodySm" tone="subdued">{`For comparison: ${percent(risk.baseRate)} of all ${KIND_PLURAL[risk.kind]} decided by ruleset v${risk.version} with a known outcome turned out fraud.`}</Text>
        ) : null}
      </BlockStack>
    </div>
  );
}

/** The actions that stand now: the current revision's, a hold still placed, an open proposal. */
function standingActions(d: Detail): DecisionAction[] {
  return d.actions.filter((a) => (a.revision ?? 0) === d.revision || (a.type === 'fulfillment.hold' && a.status === 'done') || a.status === 'proposed');
}

/** An action as one line: what it is, its real state, why; Release hold… on a placed hold. */
function ActionLine({ action, onRelease }: { action: DecisionAction; onRelease?: (id: string) => void }) {
  const state = actionState(action);
  return (
    <InlineStack align="space-between" blockAlign="center" gap="200">
      <div data-action-type={action.type} style={{ minWidth: 0, flex: '1 1 240px' }}>
        <BlockStack gap="050">
          <InlineStack gap="200" blockAlign="center">
            <Text as="span">{actionTitle(action)}</Text>
            <Badge tone={state.tone}>{state.label}</Badge>
          </InlineStack>
          {state.reason ? <Text as="span" variant="bodySm" tone="subdued">{state.reason}</Text> : null}
        </BlockStack>
      </div>
      {onRelease && action.type === 'fulfillment.hold' && action.status === 'done' ? (
        <Button size="slim" onClick={() => onRelease(action.id)}>Release hold…</Button>
      ) : null}
    </InlineStack>
  );
}

/** The verdict first: zone and whole-number score, the calibrated fraud risk, what to do next, and what RefundSentry did. */
function Verdict({ d, onRelease }: { d: Detail; onRelease: (id: string) => void }) {
  const standing = standingActions(d);
  return (
    <Card>
      <div id="verdict" data-zone={d.zone}>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <InlineStack gap="300" blockAlign="center">
              <Text as="h2" variant="headingLg" tone={d.zone === 'high' ? 'critical' : undefined}>{ZONE_WORDS[d.zone]}</Text>
              <Text as="span" variant="headingLg" tone="subdued">{`Score ${Math.round(d.score)} of 100`}</Text>
            </InlineStack>
          </BlockStack>
          <FraudRisk risk={d.risk} />
          <div id="recommendation">
            <Box background={d.zone === 'high' ? 'bg-surface-critical' : d.zone === 'medium' ? 'bg-surface-warning' : 'bg-surface-secondary'} padding="300" borderRadius="200">
              <BlockStack gap="100">
                <Text as="h3" variant="headingMd">{`Recommended: ${d.recommendation.step}`}</Text>
                <Text as="p">{d.recommendation.text}</Text>
              </BlockStack>
            </Box>
          </div>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">What RefundSentry did</Text>
            {d.holdout ? <Text as="p" tone="subdued">This HIGH decision is in the holdout sample: its actions were deliberately not executed.</Text> : null}
            {standing.length === 0 ? <Text as="p" tone="subdued">No action: the ruleset chose none for this decision.</Text> : null}
            <div id="standing-actions">
              <BlockStack gap="200">
                {standing.map((a) => <ActionLine key={a.id} action={a} onRelease={onRelease} />)}
              </BlockStack>
            </div>
          </BlockStack>
        </BlockStack>
      </div>
    </Card>
  );
}

/** A signal's evidence and exact figures, folded: what the trace holds, in words. */
function SignalDetails({ s, name }: { s: SignalLine; name: SignalName | undefined }) {
  const evidence = Object.entries(s.evidence ?? {});
  return (
    <details>
      <summary style={{ cursor: 'pointer' }}>
        <Text as="span" variant="bodySm" tone="subdued">Details</Text>
      </summary>
      <Box paddingBlockStart="200" paddingInlineStart="400">
        <BlockStack gap="150">
          {name?.description ? <Text as="p" variant="bodySm">{name.description}</Text> : null}
          {evidence.length > 0 ? (
            <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'minmax(0, max-content) minmax(0, 1fr)', columnGap: 12, rowGap: 2 }}>
              {evidence.map(([key, value]) => [
                <dt key={`${key}-k`}><Text as="span" variant="bodySm" tone="subdued">{keyWords(key)}</Text></dt>,
                <dd key={`${key}-v`} style={{ margin: 0, overflowWrap: 'anywhere' }}><Text as="span" variant="bodySm">{evidenceValue(value)}</Text></dd>,
              ])}
            </dl>
          ) : null}
          <Text as="p" variant="bodySm" tone="subdued">
            {`Exact: strength ${s.strength}${s.countedStrength !== undefined ? ` (counted at ${s.countedStrength} by the ruleset's curve)` : ''} × weight ${s.weight} = ${s.points} points · signal ${s.id} v${s.version}`}
          </Text>
        </BlockStack>
      </Box>
    </details>
  );
}

/** A fired signal: its name, its plain sentence prominent, then points, weight and strength. */
function FiredSignal({ s, name, divided }: { s: SignalLine; name: SignalName | undefined; divided: boolean }) {
  const strength = s.countedStrength ?? s.strength;
  // The list's items themselves (a list holds only <li>), a rule above each but the first, as Divider draws it.
  const rule = divided ? { borderBlockStart: 'var(--p-border-width-025) solid var(--p-color-border-secondary)', paddingBlockStart: 'var(--p-space-400)' } : {};
  return (
    <li data-signal={s.id} data-status={s.status} style={{ listStyle: 'none', ...rule }}>
      <BlockStack gap="100">
        <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
          <div style={{ minWidth: 0 }}>
            <InlineStack gap="200" blockAlign="center">
              <Text as="h3" variant="headingSm">{name?.title ?? s.id}</Text>
              {s.snoozed ? <Badge tone="info">{`Snoozed until ${dateTime(s.snoozed.until)}`}</Badge> : null}
            </InlineStack>
          </div>
          <div style={{ whiteSpace: 'nowrap' }}>
            <Text as="span" fontWeight="semibold" tone={s.points < 0 ? 'success' : s.points > 0 ? 'critical' : 'subdued'}>{pointsText(s.points)}</Text>
          </div>
        </InlineStack>
        <Text as="p">{withoutGids(s.message)}</Text>
        <Text as="p" variant="bodySm" tone="subdued">{`Weight ${s.weight < 0 ? '−' : ''}${Math.abs(Math.round(s.weight))} · strength ${Math.round(strength * 100)}%${s.points < 0 ? ' · lowers the score' : ''}`}</Text>
        <SignalDetails s={s} name={name} />
      </BlockStack>
    </li>
  );
}

/** A signal that did not fire (or could not tell): its name and its sentence, one line each. */
function QuietSignal({ s, name }: { s: SignalLine; name: SignalName | undefined }) {
  return (
    <li data-signal={s.id} data-status={s.status} style={{ listStyle: 'none' }}>
      <BlockStack gap="050">
        <InlineStack gap="200" blockAlign="center">
          <Text as="span" fontWeight="semibold">{name?.title ?? s.id}</Text>
          {s.snoozed ? <Badge tone="info">{`Snoozed until ${dateTime(s.snoozed.until)}`}</Badge> : null}
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">{withoutGids(s.message)}</Text>
      </BlockStack>
    </li>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Why this score: the fired signals by points, the failed ones (loud), the quiet and no-data ones folded behind a count. */
function Signals({ d }: { d: Detail }) {
  const [open, setOpen] = useState(false);
  const byPoints = [...d.trace.signals].sort((a, b) => b.points - a.points || a.id.localeCompare(b.id));
  const fired = byPoints.filter((s) => s.status === 'hit');
  const failed = byPoints.filter((s) => s.status === 'error');
  const noData = byPoints.filter((s) => s.status === 'insufficient_data');
  const quiet = byPoints.filter((s) => s.status === 'no_hit');
  const nameOf = (s: SignalLine) => d.signalNames[s.id];
  const folded = [quiet.length ? plural(quiet.length, 'quiet signal', 'quiet signals') : '', noData.length ? `${plural(noData.length, 'signal', 'signals')} without enough data` : ''].filter(Boolean).join(' and ');
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">{`Why ${Math.round(d.score)}: ${fired.length === 0 ? 'no signal fired' : `${plural(fired.length, 'signal', 'signals')} fired`}`}</Text>
          <Text as="p" variant="bodySm" tone="subdued">{`${d.trace.signals.length} signals were evaluated for this ${d.kind}; each fired signal adds its weight times its strength.`}</Text>
        </BlockStack>
        <BlockStack as="ul" id="fired-signals" gap="400">
          {fired.map((s, i) => <FiredSignal key={s.id} s={s} name={nameOf(s)} divided={i > 0} />)}
        </BlockStack>
        {failed.length > 0 ? (
          <Banner tone="warning" title={`${plural(failed.length, 'signal', 'signals')} could not be evaluated`}>
            <BlockStack as="ul" id="failed-signals" gap="200">
              {failed.map((s) => <QuietSignal key={s.id} s={s} name={nameOf(s)} />)}
            </BlockStack>
          </Banner>
        ) : null}
        {folded ? (
          <BlockStack gap="300">
            <InlineStack>
              <Button variant="plain" disclosure={open ? 'up' : 'down'} ariaExpanded={open} ariaControls="quiet-signals" onClick={() => setOpen((o) => !o)}>
                {`${open ? 'Hide' : 'Show'} ${folded}`}
              </Button>
            </InlineStack>
            <Collapsible id="quiet-signals" open={open} transition={false}>
              <BlockStack gap="400">
                {noData.length > 0 ? (
                  <BlockStack gap="200">
                    <Text as="h3" variant="headingSm">Not enough data — not the same as safe</Text>
                    <BlockStack as="ul" gap="200">{noData.map((s) => <QuietSignal key={s.id} s={s} name={nameOf(s)} />)}</BlockStack>
                  </BlockStack>
                ) : null}
                {quiet.length > 0 ? (
                  <BlockStack gap="200">
                    <Text as="h3" variant="headingSm">Quiet</Text>
                    <BlockStack as="ul" gap="200">{quiet.map((s) => <QuietSignal key={s.id} s={s} name={nameOf(s)} />)}</BlockStack>
                  </BlockStack>
                ) : null}
              </BlockStack>
            </Collapsible>
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

/** A label and a value on one line, the value right-aligned (amounts). */
function Row({ label, value, strong = false }: { label: ReactNode; value: ReactNode; strong?: boolean }) {
  return (
    <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
      <div style={{ minWidth: 0 }}>{typeof label === 'string' ? <Text as="span" fontWeight={strong ? 'semibold' : undefined}>{label}</Text> : label}</div>
      <div style={{ whiteSpace: 'nowrap' }}>{typeof value === 'string' ? <Text as="span" fontWeight={strong ? 'semibold' : undefined}>{value}</Text> : value}</div>
    </InlineStack>
  );
}

/** A line item: title and variant, quantity, price. */
function ItemLabel({ title, variant, quantity, extra }: { title: string; variant: string | null; quantity: number; extra?: ReactNode }) {
  return (
    <BlockStack gap="050">
      <Text as="span">{`${title}${quantity === 1 ? '' : ` × ${quantity}`}`}</Text>
      {variant ? <Text as="span" variant="bodySm" tone="subdued">{variant}</Text> : null}
      {extra}
    </BlockStack>
  );
}

/** The order: name, when, how paid, its items and amounts in the shop's currency, links into Shopify admin, the dispute evidence report. */
function OrderCard({ order, link, onEvidence }: { order: OrderFacts; link: string | null; onEvidence?: () => void }) {
  const m = (amount: number) => money(amount, order.currency);
  return (
    <Card>
      <div id="order-facts">
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h2" variant="headingMd">{order.name ? `Order ${order.name}` : 'Order'}</Text>
            <InlineStack gap="100">
              {order.cancelled ? <Badge tone="warning">Cancelled</Badge> : null}
              {order.financialStatus ? <Badge>{enumWords(order.financialStatus)}</Badge> : null}
            </InlineStack>
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            {`Placed ${dateTime(order.placedAt)}${order.gateways.length ? ` · paid with ${order.gateways.map((g) => enumWords(g).toLowerCase()).join(', ')}` : ''}`}
          </Text>
          <BlockStack gap="200">
            {order.items.map((item, i) => (
              <Row key={i} label={<ItemLabel title={item.title} variant={item.variant} quantity={item.quantity} />} value={m(item.price * item.quantity)} />
            ))}
          </BlockStack>
          <Divider />
          <BlockStack gap="100">
            <Row label="Subtotal" value={m(order.subtotal)} />
            {order.discounts > 0 ? <Row label={`Discounts${order.discountCodes.length ? ` (${order.discountCodes.join(', ')})` : ''}`} value={`−${m(order.discounts)}`} /> : null}
            {order.shipping !== null ? <Row label="Shipping" value={m(order.shipping)} /> : null}
            <Row label="Total" value={m(order.total)} strong />
          </BlockStack>
          <InlineStack gap="200">
            {link ? <Button url={link} external>View order in Shopify</Button> : null}
            {onEvidence ? <Button onClick={onEvidence}>Dispute evidence report</Button> : null}
          </InlineStack>
        </BlockStack>
      </div>
    </Card>
  );
}

/** The return: status, when, the items with the customer's reasons and notes, the value. */
function ReturnCard({ ret, currency }: { ret: ReturnFacts; currency: string | null }) {
  return (
    <Card>
      <div id="return-facts">
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h2" variant="headingMd">Return</Text>
            <Badge>{enumWords(ret.status)}</Badge>
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">{`Requested ${dateTime(ret.requestedAt)}${ret.closedAt ? ` · closed ${dateTime(ret.closedAt)}` : ''}${ret.exchangeItems ? ` · ${plural(ret.exchangeItems, 'item', 'items')} asked in exchange` : ''}`}</Text>
          <BlockStack gap="300">
            {ret.items.length === 0 ? <Text as="p" tone="subdued">Shopify sent no line of this return.</Text> : null}
            {ret.items.map((item, i) => (
              <Row
                key={i}
                label={
                  <ItemLabel
                    title={item.title}
                    variant={item.variant}
                    quantity={item.quantity}
                    extra={
                      <>
                        <Text as="span" variant="bodySm">{`Reason: ${item.reason ? enumWords(item.reason) : 'not given'}`}</Text>
                        {item.note ? <Text as="span" variant="bodySm" tone="subdued">{`“${item.note}”`}</Text> : null}
                      </>
                    }
                  />
                }
                value={item.unitPrice !== null ? money(item.unitPrice * item.quantity, currency) : ''}
              />
            ))}
          </BlockStack>
          <Divider />
          <Row label="Value of the returned items" value={money(ret.value, currency)} strong />
        </BlockStack>
      </div>
    </Card>
  );
}

const METHOD_WORDS: Record<string, string> = { original_payment: 'the original payment method', store_credit: 'store credit', gift_card: 'a gift card', exchange: 'an exchange', cash: 'cash', other: 'another method' };

/** The refund: how much, how, when, for which lines. */
function RefundCard({ refund, currency }: { refund: RefundFacts; currency: string | null }) {
  return (
    <Card>
      <div id="refund-facts">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">Refund</Text>
          <Text as="p" variant="bodySm" tone="subdued">{`Issued ${dateTime(refund.issuedAt)} to ${METHOD_WORDS[refund.method] ?? enumWords(refund.method).toLowerCase()}${refund.manual ? ' · without a return' : ''}`}</Text>
          <BlockStack gap="200">
            {refund.items.map((item, i) => <Row key={i} label={<ItemLabel title={item.title} variant={null} quantity={item.quantity} />} value={money(item.amount, currency)} />)}
          </BlockStack>
          <Divider />
          <Row label="Refunded" value={money(refund.amount, currency)} strong />
        </BlockStack>
      </div>
    </Card>
  );
}

/** A consequential step, asked first: what it does, then Cancel or the step itself. */
interface Confirmation {
  title: string;
  body: string;
  confirm: string;
  destructive?: boolean;
  run(): void;
}

/** What just happened, with a way back when the API has one. */
interface Done {
  message: string;
  undo?: () => Promise<unknown>;
}

/** Everything about one decision, in the order a merchant decides: the verdict and what to do, why, what it is about, its history, then what they can do. */
export function DecisionDetail() {
  const { id } = useParams();
  const navigate = useNavigate();
  const detail = useApi<Detail>(`/api/decisions/${id}`);
  const d = detail.data;
  const previous = useApi<DecisionList>(d?.customerId ? `/api/decisions?customerId=${encodeURIComponent(d.customerId)}&kind=return&limit=20` : null);
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<Error>();
  const [done, setDone] = useState<Done>();
  const [asking, setAsking] = useState<Confirmation>();

  const run = async (what: string, call: () => Promise<Done | void>) => {
    setBusy(what);
    setFailure(undefined);
    setDone(undefined);
    try {
      setDone((await call()) ?? { message: what });
      detail.reload();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(undefined);
    }
  };
  const subject = d ? (d.kind === 'order' ? 'order' : d.kind) : 'subject';
  const label = (value: 'fraud' | 'legit') =>
    setAsking({
      title: `Label this ${subject} ${value}?`,
      body:
        value === 'fraud'
          ? `The label is recorded under your name and counts in the fraud-risk figures and the learned weights. A fraud label also re-scores the customer's open orders and returns, which may hold their fulfilment. It cannot be undone from the admin.`
          : `The label is recorded under your name and counts as a legitimate outcome in the fraud-risk figures and the learned weights. It cannot be undone from the admin.`,
      confirm: `Label ${value}`,
      destructive: value === 'fraud',
      run: () => void run(`Labelled ${value}`, () => api(`/api/decisions/${id}/outcome`, { method: 'POST', body: { label: value } satisfies OutcomeRequest }).then(() => undefined)),
    });
  const release = (holdActionId: string) => run('Hold released', () => api(`/api/actions/${holdActionId}/release`, { method: 'POST' }).then(() => undefined));
  const askRelease = (holdActionId: string) =>
    setAsking({
      title: 'Release the hold RefundSentry placed?',
      body: "The order's fulfilment orders are released in Shopify and it can ship. The release is recorded in the audit log under your name.",
      confirm: 'Release hold',
      run: () => void release(holdActionId),
    });
  /** Lists the buyer's identifiers; the undo removes only the entries this added (not those already listed). */
  const list = (which: ListName) =>
    setAsking({
      title: which === 'blocked' ? 'Block this buyer?' : 'Trust this buyer?',
      body:
        which === 'blocked'
          ? 'Every identifier of this order — email, phone, card, device, IP, addresses — goes on the blocklist as the keyed hash stored with it. Their later orders fire “Blocklisted buyer”. You can undo it right after, or remove the entries on the Lists page.'
          : 'Every identifier of this order — email, phone, card, device, IP, addresses — goes on the allowlist as the keyed hash stored with it. Their later orders fire “Allowlisted buyer”, which lowers the score. You can undo it right after, or remove the entries on the Lists page.',
      confirm: which === 'blocked' ? 'Block buyer' : 'Trust buyer',
      destructive: which === 'blocked',
      run: () =>
        void run(which === 'blocked' ? 'Buyer blocked' : 'Buyer trusted', async () => {
          const before = await api<ListEntries>(`/api/lists?list=${which}`);
          const added = await api<ListEntries>('/api/lists/from-decision', { method: 'POST', body: { decisionId: d!.id, list: which } satisfies FromDecisionInput });
          const fresh = added.entries.filter((e) => !before.entries.some((b) => b.kind === e.kind && b.hash === e.hash));
          const listName = which === 'blocked' ? 'blocklist' : 'allowlist';
          return {
            message: `${which === 'blocked' ? 'Buyer blocked' : 'Buyer trusted'}: ${fresh.length === 0 ? `every identifier was on the ${listName} already` : `${plural(fresh.length, 'identifier', 'identifiers')} added to the ${listName}`}`,
            undo: fresh.length === 0 ? undefined : () => Promise.all(fresh.map((e) => api(`/api/lists/${which}/${e.kind}/${encodeURIComponent(e.hash)}`, { method: 'DELETE' }))),
          };
        }),
    });
  const undo = (what: Done) => run('Undone', async () => {
    await what.undo!();
    return { message: `Undone: ${what.message.split(':')[0]!.toLowerCase()}` };
  });

  const signalTitles = d ? Object.fromEntries(Object.entries(d.signalNames).map(([sid, n]) => [sid, n.title])) : {};
  const firedFirst = d ? [...d.trace.signals].sort((a, b) => Number(b.status === 'hit' && b.weight > 0) - Number(a.status === 'hit' && a.weight > 0) || b.points - a.points || (signalTitles[a.id] ?? a.id).localeCompare(signalTitles[b.id] ?? b.id)) : [];
  const currency = d?.facts.order?.currency ?? null;
  const orderNumber = d?.orderId ? d.orderId.split('/').pop()! : null;
  const others = previous.data?.decisions.filter((p) => p.id !== d?.id) ?? [];
  return (
    <Page
      backAction={{ content: 'Review queue', onAction: () => navigate('/') }}
      title={d ? subjectTitle(d) : 'Decision'}
      titleMetadata={d ? <ZoneBadge zone={d.zone} score={d.score} /> : undefined}
      subtitle={d ? `Decided ${dateTime(d.decidedAt)} by ruleset ${d.ruleset.id} v${d.ruleset.version}${d.revision > 0 ? ` · revision ${d.revision}` : ''}` : undefined}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={detail.error} onRetry={detail.reload} title="The decision could not be loaded" />
            <ErrorBanner error={failure} title="That did not work" />
            {done ? (
              <Banner
                tone="success"
                title={done.message}
                onDismiss={() => setDone(undefined)}
                action={done.undo ? { content: 'Undo', loading: busy === 'Undone', onAction: () => void undo(done) } : undefined}
              />
            ) : null}
            {!d && detail.loading ? <Card><SkeletonBodyText lines={10} /></Card> : null}
            {d ? <Verdict d={d} onRelease={askRelease} /> : null}
            {d ? <Signals d={d} /> : null}
            {d ? <DecisionHistory detail={d} release={release} releasing={busy === 'Hold released'} openAudit={() => navigate(`/audit?subject=${encodeURIComponent(d.subjectId)}`)} /> : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {d?.facts.return ? <ReturnCard ret={d.facts.return} currency={currency} /> : null}
            {d?.facts.refund ? <RefundCard refund={d.facts.refund} currency={currency} /> : null}
            {d?.facts.order ? (
              <OrderCard
                order={d.facts.order}
                link={d.links.order}
                onEvidence={orderNumber ? () => void openHtml(`/api/orders/${orderNumber}/evidence.html`).catch((error: unknown) => setFailure(error as Error)) : undefined}
              />
            ) : null}
            {d && !d.facts.order ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">Order</Text>
                  <Text as="p" tone="subdued">The order is not stored (not received yet, or outside the backfilled history).</Text>
                  {d.links.order ? <InlineStack><Button url={d.links.order} external>View order in Shopify</Button></InlineStack> : null}
                </BlockStack>
              </Card>
            ) : null}
            {d ? (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">Outcome</Text>
                  {d.outcomes.length === 0 ? <Text as="p" tone="subdued">Not labelled yet. A label teaches the risk figures and the learned weights.</Text> : null}
                  {d.outcomes.map((o, i) => (
                    <Text as="p" key={i}>{`${o.label === 'fraud' ? 'Fraud' : 'Legit'} (${o.source})`}</Text>
                  ))}
                  <InlineStack gap="200">
                    <Button tone="critical" loading={busy === 'Labelled fraud'} onClick={() => label('fraud')}>Label fraud</Button>
                    <Button loading={busy === 'Labelled legit'} onClick={() => label('legit')}>Label legit</Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            ) : null}
            {d?.customerId ? (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">Customer</Text>
                  <InlineStack gap="200">
                    <Button onClick={() => navigate(`/customers/${encodeURIComponent(d.customerId!)}`)}>Risk profile</Button>
                    {d.links.customer ? <Button url={d.links.customer} external>View customer in Shopify</Button> : null}
                  </InlineStack>
                  <Text as="h3" variant="headingSm">Their other returns</Text>
                  {previous.data && others.length === 0 ? <Text as="p" tone="subdued">No other return.</Text> : null}
                  {others.map((p) => (
                    <InlineStack key={p.id} align="space-between" blockAlign="center">
                      <Button variant="plain" onClick={() => navigate(`/decisions/${p.id}`)}>{`Return decided ${dateTime(p.decidedAt)}`}</Button>
                      <ZoneBadge zone={p.zone} score={p.score} />
                    </InlineStack>
                  ))}
                </BlockStack>
              </Card>
            ) : null}
            {d?.orderId ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">Lists</Text>
                  <Text as="p" variant="bodySm" tone="subdued">Every identifier of this order (email, phone, card, device, IP, addresses), as the keyed hashes stored with it.</Text>
                  <InlineStack gap="200">
                    <Button tone="critical" loading={busy === 'Buyer blocked'} onClick={() => list('blocked')}>Block buyer</Button>
                    <Button loading={busy === 'Buyer trusted'} onClick={() => list('allowed')}>Trust buyer</Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            ) : null}
            {d?.customerId ? <SnoozeCard customerId={d.customerId} signalIds={firedFirst.map((s) => s.id)} names={signalTitles} /> : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
      {asking ? (
        <Modal
          open
          onClose={() => setAsking(undefined)}
          title={asking.title}
          primaryAction={{
            content: asking.confirm,
            destructive: asking.destructive,
            onAction: () => {
              setAsking(undefined);
              asking.run();
            },
          }}
          secondaryActions={[{ content: 'Cancel', onAction: () => setAsking(undefined) }]}
        >
          <Modal.Section>
            <Text as="p">{asking.body}</Text>
          </Modal.Section>
        </Modal>
      ) : null}
    </Page>
  );
}
