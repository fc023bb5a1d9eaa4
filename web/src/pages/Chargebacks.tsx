import { BlockStack, Button, Card, DataTable, InlineStack, Layout, Link, Page, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { BarChart, PolarisVizProvider } from '@shopify/polaris-viz';
import '@shopify/polaris-viz/build/esm/styles.css';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { download, openHtml, type ChargebackReport as Report } from '../api.ts';
import { ChartFigure } from '../components/ChartFigure.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { count, dateTime, gidLabel, money as moneyIn, orderLabel, percent as pct } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';
import { ZoneBadge } from '../components/ZoneBadge.tsx';

const orderNumber = (gid: string) => gid.split('/').pop()!;

function Metric({ label, value, note, id }: { label: string; value: string; note?: string; id: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="span" tone="subdued">{label}</Text>
        <Text as="p" variant="headingLg" id={id}>{value}</Text>
        {note ? <Text as="span" tone="subdued">{note}</Text> : null}
      </BlockStack>
    </Card>
  );
}

/** Chargebacks: exposure, how well scoring saw them coming, repeat offenders, double dips, orders still to ship, and evidence reports. */
export function Chargebacks() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const query = new URLSearchParams();
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  const report = useApi<Report>(`/api/chargebacks?${query}`);
  const [failure, setFailure] = useState<Error>();
  const r = report.data;
  /** Amounts in the shop's currency, as the browser writes it. */
  const money = (n: number) => moneyIn(n, r?.currency);
  const setDate = (key: 'from' | 'to', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const exportCsv = (table: string) => download(`/api/chargebacks/${table}.csv?${query}`, `chargebacks-${table}.csv`).catch((e: unknown) => setFailure(e as Error));
  const evidence = (orderId: string) => openHtml(`/api/orders/${orderNumber(orderId)}/evidence.html`).catch((e: unknown) => setFailure(e as Error));
  // The name starts with the button's visible words (axe: label-content-name-mismatch), then says which table.
  const csvButton = (table: string, title: string) => <Button size="slim" onClick={() => void exportCsv(table)} accessibilityLabel={`Export CSV of ${title.toLowerCase()}`}>Export CSV</Button>;
  const heading = (title: string, table: string, note?: string) => (
    <InlineStack align="space-between" blockAlign="center">
      <BlockStack gap="050">
        <Text as="h2" variant="headingMd">{title}</Text>
        {note ? <Text as="p" tone="subdued">{note}</Text> : null}
      </BlockStack>
      {csvButton(table, title)}
    </InlineStack>
  );

  return (
    <Page title="Chargebacks" subtitle="Disputes, how well scoring saw them coming, and what can still be stopped">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={report.error ?? failure} onRetry={report.reload} title="Chargebacks could not be loaded" />
            <InlineStack gap="200" blockAlign="center">
              <div style={{ width: 160 }}><TextField label="From" type="date" value={from} onChange={(v) => setDate('from', v)} autoComplete="off" /></div>
              <div style={{ width: 160 }}><TextField label="To" type="date" value={to} onChange={(v) => setDate('to', v)} autoComplete="off" /></div>
              {r ? <Text as="span" tone="subdued">{`${dateTime(r.window.from)} – ${dateTime(r.window.to)}`}</Text> : null}
            </InlineStack>
            {!r && report.loading ? <Card><SkeletonBodyText lines={8} /></Card> : null}
            {r ? (
              <InlineStack gap="400" wrap>
                <Metric id="disputes" label="Disputes" value={`${r.summary.disputes}`} note={`${money(r.summary.amount)} disputed`} />
                <Metric id="exposure" label="Open exposure" value={money(r.summary.open.amount)} note={count(r.summary.open.disputes, 'open dispute')} />
                <Metric id="accuracy" label="Seen coming (MEDIUM/HIGH at order time)" value={r.prediction.accuracy === null ? '—' : pct(r.prediction.accuracy)} note={`${r.prediction.flagged} of ${count(r.prediction.scored, 'scored disputed order')}; ${r.prediction.high} of them HIGH`} />
                <Metric id="double-dips" label="Double dips" value={`${r.doubleDips.orders}`} note={`${money(r.doubleDips.refunded)} refunded and ${money(r.doubleDips.chargedBack)} charged back`} />
              </InlineStack>
            ) : null}
            {r && r.summary.byMonth.length > 0 ? (
              <Card>
                <BlockStack gap="200">
                  {heading('Disputes by month', 'by-month')}
                  <ChartFigure label="Bar chart of disputes by month" height={220} data={[{ name: 'Disputes', data: r.summary.byMonth.map((m) => ({ key: m.month, value: m.disputes })) }]}>
                    {(data) => (
                      <PolarisVizProvider>
                        <BarChart theme="Light" isAnimated={false} showLegend={false} data={data} />
                      </PolarisVizProvider>
                    )}
                  </ChartFigure>
                </BlockStack>
              </Card>
            ) : null}
            {r ? (
              <Card padding="0">
                <div style={{ padding: 16 }}>{heading('Orders not shipped yet', 'unshipped', r.calibration?.baseRate != null ? `Chargeback risk calibrated on ${count(r.calibration.labelled, 'order')} with a known outcome (${r.calibration.positives.toLocaleString('en')} fraud, ${pct(r.calibration.baseRate)}).` : 'Not enough orders with a known outcome to calibrate a risk yet.')}</div>
                <DataTable
                  columnContentTypes={['text', 'text', 'numeric', 'numeric', 'text']}
                  headings={['Order', 'Risk', 'Total', 'Chargeback risk', 'Ordered']}
                  rows={r.unshipped.map((u) => [
                    <Link key="o" onClick={() => navigate(`/decisions/${u.decisionId}`)}>{orderLabel(u.orderName, u.orderId)}</Link>,
                    <ZoneBadge key="z" zone={u.zone} score={u.score} />,
                    money(u.total),
                    <span key="r" title={u.chargebackRisk?.explanation ?? ''}>{u.chargebackRisk?.probability != null ? pct(u.chargebackRisk.probability) : '—'}</span>,
                    dateTime(u.orderedAt),
                  ])}
                />
                {r.unshipped.length === 0 ? <div style={{ padding: 16 }}><Text as="p" tone="subdued">Every recent order has shipped.</Text></div> : null}
              </Card>
            ) : null}
            {r ? (
              <Card padding="0">
                <div style={{ padding: 16 }}>{heading('Double dips', 'double-dips', 'Orders refunded or returned and then disputed: the customer was paid twice.')}</div>
                <DataTable
                  columnContentTypes={['text', 'text', 'numeric', 'numeric', 'text', 'text']}
                  headings={['Order', 'Customer', 'Refunded', 'Charged back', 'Disputed', 'Evidence']}
                  rows={r.doubleDips.rows.map((d) => [
                    orderLabel(d.orderName, d.orderId),
                    d.customerId ? <Link key="c" onClick={() => navigate(`/customers/${encodeURIComponent(d.customerId!)}`)}>{gidLabel(d.customerId)}</Link> : '—',
                    money(d.refunded),
                    money(d.chargedBack),
                    dateTime(d.disputedAt),
                    <Button key="e" size="slim" onClick={() => void evidence(d.orderId)} accessibilityLabel={`Evidence report for order ${orderLabel(d.orderName, d.orderId)}`}>Evidence report</Button>,
                  ])}
                />
              </Card>
            ) : null}
            {r ? (
              <Card padding="0">
                <div style={{ padding: 16 }}>{heading('Disputes and how their orders were scored', 'disputes')}</div>
                <DataTable
                  columnContentTypes={['text', 'numeric', 'text', 'text', 'text']}
                  headings={['Order', 'Amount', 'Scored at order time', 'Disputed', 'Evidence']}
                  rows={r.prediction.rows.map((p) => [
                    orderLabel(p.orderName, p.orderId),
                    money(p.amount),
                    p.zone && p.score !== null ? <ZoneBadge key="z" zone={p.zone} score={p.score} /> : 'not scored',
                    dateTime(p.disputedAt),
                    <Button key="e" size="slim" onClick={() => void evidence(p.orderId)} accessibilityLabel={`Evidence report for order ${orderLabel(p.orderName, p.orderId)}`}>Evidence report</Button>,
                  ])}
                />
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          {r ? (
            <Card padding="0">
              <div style={{ padding: 16 }}>{heading('Repeat offenders', 'repeat-offenders', 'Customers with two or more chargebacks.')}</div>
              <DataTable
                columnContentTypes={['text', 'numeric', 'numeric']}
                headings={['Customer', 'Disputes', 'Amount']}
                rows={r.repeatOffenders.map((o) => [
                  <Link key="c" onClick={() => navigate(`/customers/${encodeURIComponent(o.customerId)}`)}>{gidLabel(o.customerId)}</Link>,
                  o.chargebacks,
                  money(o.amount),
                ])}
              />
            </Card>
          ) : null}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
