import { BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Select, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { BarChart, PolarisVizProvider } from '@shopify/polaris-viz';
import '@shopify/polaris-viz/build/esm/styles.css';
import { useState } from 'react';
import { downloadCsv, type RefundMethodReport, type ZoneSplit } from '../api.ts';
import { ChartFigure } from '../components/ChartFigure.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { percent, wholeMoney } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';

const METHOD_LABEL: Record<string, string> = {
  original_payment: 'Original payment',
  cash: 'Cash',
  store_credit: 'Store credit',
  gift_card: 'Gift card',
  exchange: 'Exchange',
  other: 'Other',
};
const ZONE_LABEL: Record<string, string> = { low: 'Low', medium: 'Medium', high: 'High', undecided: 'Not scored' };

/** How refunds were paid: money back vs store credit, gift card or exchange, and how that shifts with risk. */
export function RefundMethods() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [split, setSplit] = useState<'byRefundZone' | 'byOrderZone'>('byRefundZone');
  const [failure, setFailure] = useState<Error>();
  const query = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) }).toString();
  const report = useApi<RefundMethodReport>(`/api/refund-methods${query ? `?${query}` : ''}`);
  const r = report.data;
  /** Amounts in the shop's currency, whole. */
  const money = (value: number) => wholeMoney(value, r?.currency);
  const zones: ZoneSplit[] = r ? r[split].filter((z) => z.count > 0) : [];
  const used = r ? r.byMethod.filter((m) => m.count > 0).map((m) => m.method) : [];
  return (
    <Page
      title="Refund methods"
      subtitle="Cash refunds against store credit and exchanges: how much refunded revenue the shop keeps."
     
      secondaryActions={[{ content: 'Export CSV', onAction: () => downloadCsv(`/api/refund-methods.csv${query ? `?${query}` : ''}`, 'refund-methods.csv').catch(setFailure) }]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={report.error} onRetry={report.reload} title="The refund methods could not be loaded" />
            <ErrorBanner error={failure} title="The export did not work" />
            <Card>
              <InlineStack gap="300" blockAlign="end">
                <TextField label="From" type="date" autoComplete="off" value={from} onChange={setFrom} />
                <TextField label="To" type="date" autoComplete="off" value={to} onChange={setTo} />
                <Select label="Split by the zone of" options={[{ label: 'the refund', value: 'byRefundZone' }, { label: 'the order', value: 'byOrderZone' }]} value={split} onChange={(v) => setSplit(v as typeof split)} />
                {from || to ? <Button variant="plain" onClick={() => (setFrom(''), setTo(''))}>All time</Button> : null}
              </InlineStack>
            </Card>
            {!r && report.loading ? <Card><SkeletonBodyText lines={8} /></Card> : null}
            {r ? (
              <InlineStack gap="400" wrap>
                <Card>
                  <BlockStack gap="100">
                    <Text as="span" tone="subdued">Revenue preservation rate</Text>
                    <Text as="p" variant="headingLg" id="preservation-rate">{percent(r.preservationRate)}</Text>
                    <Text as="span" tone="subdued">{`${money(r.total.preservedValue)} of ${money(r.total.value)} kept as store credit, gift card or exchange`}</Text>
                  </BlockStack>
                </Card>
                <Card>
                  <BlockStack gap="100">
                    <Text as="span" tone="subdued">Refunds</Text>
                    <Text as="p" variant="headingLg" id="refund-count">{r.total.count}</Text>
                    <Text as="span" tone="subdued">{`${percent(r.preservationRateByCount)} of them kept in the shop`}</Text>
                  </BlockStack>
                </Card>
              </InlineStack>
            ) : null}
            {r ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">Refunded value by method and risk zone</Text>
                  <ChartFigure
                    label="Stacked bar chart of the refunded value by method in each risk zone"
                    height={300}
                    testId="refund-method-chart"
                    format={money}
                    data={used.map((method) => ({
                      name: METHOD_LABEL[method] ?? method,
                      data: zones.map((z) => ({ key: ZONE_LABEL[z.zone] ?? z.zone, value: z.byMethod.find((m) => m.method === method)?.value ?? 0 })),
                    }))}
                  >
                    {(data) => (
                      <PolarisVizProvider>
                        <BarChart
                          theme="Light"
                          isAnimated={false}
                          type="stacked"
                          yAxisOptions={{ labelFormatter: (v) => money(Number(v ?? 0)) }}
                          tooltipOptions={{ valueFormatter: (v) => money(Number(v ?? 0)) }}
                          data={data}
                        />
                      </PolarisVizProvider>
                    )}
                  </ChartFigure>
                </BlockStack>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {r ? (
              <Card padding="0">
                <div style={{ padding: 16 }}><Text as="h2" variant="headingMd">By method</Text></div>
                <div id="by-method">
                  <DataTable
                    columnContentTypes={['text', 'numeric', 'numeric']}
                    headings={['Method', 'Refunds', 'Value']}
                    rows={r.byMethod.filter((m) => m.count > 0).map((m) => [METHOD_LABEL[m.method] ?? m.method, m.count, money(m.value)])}
                  />
                </div>
              </Card>
            ) : null}
            {r ? (
              <Card padding="0">
                <div style={{ padding: 16 }}><Text as="h2" variant="headingMd">Preservation by zone</Text></div>
                <div id="by-zone">
                  <DataTable
                    columnContentTypes={['text', 'numeric', 'numeric']}
                    headings={['Zone', 'Refunds', 'Kept']}
                    rows={zones.map((z) => [ZONE_LABEL[z.zone] ?? z.zone, z.count, percent(z.preservationRate)])}
                  />
                </div>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
