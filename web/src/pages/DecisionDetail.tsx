import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, SkeletonBodyText, Text } from '@shopify/polaris';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, type DecisionDetail as Detail, type DecisionList, type FromDecisionInput, type OutcomeRequest, type OutcomeRisk, type SignalLine, openHtml } from '../api.ts';
import { DecisionHistory } from '../components/DecisionHistory.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { SnoozeCard } from '../components/SnoozeCard.tsx';
import { dateTime, gidLabel, kindLabel } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';
import { ZoneBadge } from '../components/ZoneBadge.tsx';

const STATUS_TONE = { hit: 'critical', no_hit: undefined, insufficient_data: 'attention', error: 'warning' } as const;
const STATUS_LABEL = { hit: 'Fired', no_hit: 'Quiet', insufficient_data: 'Not enough data', error: 'Error' } as const;

/** A signal's evidence in plain words: "units 3, share percent 40". */
function evidenceText(evidence: Record<string, unknown>): string {
  return Object.entries(evidence)
    .map(([key, value]) => `${key.replace(/([A-Z])/g, ' $1').toLowerCase()} ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('; ');
}

const KIND_PLURAL = { order: 'orders', return: 'returns', refund: 'refunds' } as const;
/** A share as a merchant reads it: "34.3%", "8%", "0.4%". */
const percent = (p: number) => `${Math.round(p * 1000) / 10}%`;

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
            <Text as="h2" variant="headingLg" tone={risk.baseRate !== null && risk.probability! >= 2 * risk.baseRate ? 'critical' : undefined}>
              {`Fraud risk ${percent(risk.probability!)}`}
            </Text>
          ) : (
            <Text as="h2" variant="headingMd">Fraud risk</Text>
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

/** Everything about one decision: its history (revisions with the actions each chose), the signal breakdown, the ruleset, outcome labels, the customer's earlier returns. */
export function DecisionDetail() {
  const { id } = useParams();
  const navigate = useNavigate();
  const detail = useApi<Detail>(`/api/decisions/${id}`);
  const d = detail.data;
  const previous = useApi<DecisionList>(d?.customerId ? `/api/decisions?customerId=${encodeURIComponent(d.customerId)}&kind=return&limit=20` : null);
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<Error>();
  const [done, setDone] = useState<string>();

  const run = async (what: string, call: () => Promise<unknown>) => {
    setBusy(what);
    setFailure(undefined);
    setDone(undefined);
    try {
      await call();
      setDone(what);
      detail.reload();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(undefined);
    }
  };
  const label = (value: 'fraud' | 'legit') => run(`Labelled ${value}`, () => api(`/api/decisions/${id}/outcome`, { method: 'POST', body: { label: value } satisfies OutcomeRequest }));
  const release = (holdActionId: string) => run('Hold released', () => api(`/api/actions/${holdActionId}/release`, { method: 'POST' }));
  // The order behind the decision: its dispute evidence report (its fraud risk is the decision's own, above).
  const orderNumber = d?.orderId ? d.orderId.split('/').pop()! : null;

  const signals: SignalLine[] = d ? [...d.trace.signals].sort((a, b) => b.points - a.points || a.id.localeCompare(b.id)) : [];
  return (
    <Page
      backAction={{ content: 'Dashboard', onAction: () => navigate('/') }}
      title={d ? `${kindLabel(d.kind)} ${gidLabel(d.subjectId).split(' ')[1]}` : 'Decision'}
      titleMetadata={d ? <ZoneBadge zone={d.zone} score={d.score} /> : undefined}
      subtitle={d ? `Decided ${dateTime(d.decidedAt)} by ruleset ${d.ruleset.id} v${d.ruleset.version}${d.revision > 0 ? ` · revision ${d.revision}` : ''}` : undefined}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={detail.error} onRetry={detail.reload} title="The decision could not be loaded" />
            <ErrorBanner error={failure} title="That did not work" />
            {done ? <Banner tone="success" title={done} onDismiss={() => setDone(undefined)} /> : null}
            {!d && detail.loading ? <Card><SkeletonBodyText lines={10} /></Card> : null}
            {d?.risk ? (
              <Card>
                <FraudRisk risk={d.risk} />
              </Card>
            ) : null}
            {d ? <DecisionHistory detail={d} release={release} releasing={busy === 'Hold released'} openAudit={() => navigate(`/audit?subject=${encodeURIComponent(d.subjectId)}`)} /> : null}
            {d ? (
              <Card padding="0">
                <div style={{ padding: 16 }}>
                  <Text as="h2" variant="headingMd">{`Why ${d.score}: ${signals.filter((s) => s.status === 'hit').length} of ${signals.length} signals fired`}</Text>
                </div>
                <DataTable
                  columnContentTypes={['text', 'text', 'numeric', 'numeric', 'text']}
                  headings={['Signal', 'Status', 'Strength', 'Points', 'Evidence']}
                  rows={signals.map((s) => [
                    <div key={s.id} style={{ whiteSpace: 'normal', minWidth: 240, maxWidth: 360 }}>
                      <BlockStack gap="050">
                        <Text as="span" fontWeight="semibold">{s.id}</Text>
                        <Text as="span" variant="bodySm" tone="subdued">{s.message}</Text>
                      </BlockStack>
                    </div>,
                    <BlockStack key="status" gap="050" inlineAlign="start">
                      <Badge tone={STATUS_TONE[s.status]}>{STATUS_LABEL[s.status]}</Badge>
                      {s.snoozed ? <Badge tone="info">{`Snoozed until ${dateTime(s.snoozed.until)}`}</Badge> : null}
                    </BlockStack>,
                    s.strength.toFixed(2),
                    s.points,
                    <div key="evidence" style={{ whiteSpace: 'normal', maxWidth: 260 }}>
                      <Text as="span" variant="bodySm">{evidenceText(s.evidence ?? {})}</Text>
                    </div>,
                  ])}
                />
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {d ? (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">Outcome</Text>
                  {d.outcomes.length === 0 ? <Text as="p" tone="subdued">Not labelled yet.</Text> : null}
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
            {d && orderNumber ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">Order</Text>
                  <Text as="p" variant="bodySm" tone="subdued">Everything known about this order, its actions, returns and disputes, as a printable report for a chargeback response.</Text>
                  <InlineStack>
                    <Button onClick={() => void openHtml(`/api/orders/${orderNumber}/evidence.html`).catch((error: unknown) => setFailure(error as Error))}>Dispute evidence report</Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            ) : null}
            {d?.orderId ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">Lists</Text>
                  <Text as="p" variant="bodySm" tone="subdued">Every identifier of this order (email, phone, card, device, IP, addresses) as the keyed hashes stored with it.</Text>
                  <InlineStack gap="200">
                    <Button
                      tone="critical"
                      loading={busy === 'Buyer blocked'}
                      onClick={() => run('Buyer blocked', () => api('/api/lists/from-decision', { method: 'POST', body: { decisionId: d.id, list: 'blocked' } satisfies FromDecisionInput }))}
                    >
                      Block buyer
                    </Button>
                    <Button
                      loading={busy === 'Buyer trusted'}
                      onClick={() => run('Buyer trusted', () => api('/api/lists/from-decision', { method: 'POST', body: { decisionId: d.id, list: 'allowed' } satisfies FromDecisionInput }))}
                    >
                      Trust buyer
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            ) : null}
            {d?.customerId ? (
              <SnoozeCard
                customerId={d.customerId}
                signalIds={[...signals.filter((s) => s.status === 'hit' && s.weight > 0), ...signals.filter((s) => !(s.status === 'hit' && s.weight > 0))].map((s) => s.id)}
              />
            ) : null}
            {d?.customerId ? (
              <Card>
                <BlockStack gap="200">
                  <InlineStack align="space-between">
                    <Text as="h2" variant="headingMd">Customer's returns</Text>
                    <Button variant="plain" onClick={() => navigate(`/customers/${encodeURIComponent(d.customerId!)}`)}>Profile</Button>
                  </InlineStack>
                  {previous.data?.decisions.filter((p) => p.id !== d.id).length === 0 ? <Text as="p" tone="subdued">No other return.</Text> : null}
                  {previous.data?.decisions.filter((p) => p.id !== d.id).map((p) => (
                    <InlineStack key={p.id} align="space-between">
                      <Button variant="plain" onClick={() => navigate(`/decisions/${p.id}`)}>{gidLabel(p.subjectId)}</Button>
                      <ZoneBadge zone={p.zone} score={p.score} />
                    </InlineStack>
                  ))}
                </BlockStack>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
