import { BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, SkeletonBodyText, Text } from '@shopify/polaris';
import { BarChart, PolarisVizProvider } from '@shopify/polaris-viz';
import '@shopify/polaris-viz/build/esm/styles.css';
import { useNavigate } from 'react-router-dom';
import { ChartFigure } from '../components/ChartFigure.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { count, gidLabel, signalTitle, wholeMoney } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';
import { ZoneBadge } from '../components/ZoneBadge.tsx';
import type { Insights as InsightsData, SignalCatalog } from '../api.ts';

/** What the history showed, once the backfill is done: zone mix, top signals, riskiest customers, refund value at risk. */
export function Insights() {
  const navigate = useNavigate();
  const insights = useApi<InsightsData>('/api/insights');
  const catalog = useApi<SignalCatalog>('/api/signals');
  const i = insights.data;
  return (
    <Page title="Welcome: what your history shows">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={insights.error} onRetry={insights.reload} title="Insights could not be loaded" />
            {!i && insights.loading ? <Card><SkeletonBodyText lines={8} /></Card> : null}
            {i ? (
              <InlineStack gap="400" wrap>
                {(['high', 'medium', 'low'] as const).map((z) => (
                  <Card key={z}>
                    <BlockStack gap="100">
                      <ZoneBadge zone={z} />
                      <Text as="p" variant="headingLg">{(i.zones[z] ?? 0).toLocaleString('en')}</Text>
                      <Text as="p" tone="subdued">{(i.zones[z] ?? 0) === 1 ? 'decision' : 'decisions'}</Text>
                    </BlockStack>
                  </Card>
                ))}
                <Card>
                  <BlockStack gap="100">
                    <Text as="span" tone="subdued">Refund value at risk</Text>
                    <div id="value-at-risk">
                      <Text as="p" variant="headingLg">{`${wholeMoney(i.refundValueAtRisk.high, i.currency)} in HIGH-risk refunds`}</Text>
                      <Text as="p">{`${wholeMoney(i.refundValueAtRisk.medium, i.currency)} in MEDIUM-risk refunds`}</Text>
                    </div>
                    <Text as="span" tone="subdued">{`among ${count(i.refundValueAtRisk.refunds, 'scored refund')}`}</Text>
                  </BlockStack>
                </Card>
              </InlineStack>
            ) : null}
            {i ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">Signals that fired most</Text>
                  <ChartFigure label="Bar chart of the signals that fired most, by times fired" height={280} data={[{ name: 'Times fired', data: i.topSignals.map((s) => ({ key: signalTitle(s.id, catalog.data?.signals), value: s.fired })) }]}>
                    {(data) => (
                      <PolarisVizProvider>
                        <BarChart direction="horizontal" theme="Light" isAnimated={false} showLegend={false} data={data} />
                      </PolarisVizProvider>
                    )}
                  </ChartFigure>
                </BlockStack>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          {i ? (
            <Card padding="0">
              <div style={{ padding: 16 }}><Text as="h2" variant="headingMd">Riskiest customers</Text></div>
              <DataTable
                columnContentTypes={['text', 'text', 'numeric']}
                headings={['Customer', 'Risk', 'HIGH decisions']}
                rows={i.riskyCustomers.map((c) => [
                  <Button key={c.id} variant="plain" onClick={() => navigate(`/customers/${encodeURIComponent(c.id)}`)}>{gidLabel(c.id)}</Button>,
                  <ZoneBadge key="zone" zone={c.zone} score={c.lastScore} />,
                  c.highDecisions,
                ])}
              />
            </Card>
          ) : null}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
