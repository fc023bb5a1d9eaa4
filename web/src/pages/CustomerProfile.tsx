import { Badge, BlockStack, Card, IndexTable, InlineStack, Layout, Link, Page, SkeletonBodyText, Text } from '@shopify/polaris';
import { LineChart, PolarisVizProvider } from '@shopify/polaris-viz';
import '@shopify/polaris-viz/build/esm/styles.css';
import { useNavigate, useParams } from 'react-router-dom';
import type { CustomerProfile as Profile, SignalCatalog } from '../api.ts';
import { ChartFigure } from '../components/ChartFigure.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { SnoozeCard } from '../components/SnoozeCard.tsx';
import { dateTime, gidLabel, kindLabel, orderLabel } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';
import { ZoneBadge } from '../components/ZoneBadge.tsx';

const TRAJECTORY_TONE = { rising: 'critical', stable: undefined, declining: 'success' } as const;
const TRAJECTORY_WORDS: Record<string, string> = { rising: 'rising', stable: 'stable', declining: 'declining', unknown: 'too few decisions' };

/** One customer's risk: aggregate, trajectory and scores over time, tags, every decision (ids only: no PII is stored). */
export function CustomerProfile() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const profile = useApi<Profile>(`/api/customers/${encodeURIComponent(id)}`);
  const p = profile.data;
  const catalog = useApi<SignalCatalog>('/api/signals');
  const points = (p?.history ?? []).map((d) => ({ key: d.decidedAt.slice(0, 10), value: Math.round(d.score) }));
  return (
    <Page backAction={{ content: 'Review queue', onAction: () => navigate('/') }} title={gidLabel(decodeURIComponent(id))} titleMetadata={p?.currentZone ? <ZoneBadge zone={p.currentZone} score={p.lastScore ?? undefined} /> : undefined}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={profile.error} onRetry={profile.reload} title="The customer could not be loaded" />
            {!p && profile.loading ? <Card><SkeletonBodyText lines={8} /></Card> : null}
            {p ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">Scores over time</Text>
                  <ChartFigure label="Line chart of the customer's risk scores over time" height={240} testId="score-chart" data={[{ name: 'Score', data: points }]}>
                    {(data) => (
                      <PolarisVizProvider>
                        <LineChart data={data} theme="Light" isAnimated={false} showLegend={false} xAxisOptions={{ hide: points.length > 12 }} />
                      </PolarisVizProvider>
                    )}
                  </ChartFigure>
                </BlockStack>
              </Card>
            ) : null}
            {p ? (
              <Card padding="0">
                <IndexTable
                  resourceName={{ singular: 'decision', plural: 'decisions' }}
                  itemCount={p.history.length}
                  selectable={false}
                  headings={[{ title: 'Subject' }, { title: 'Type' }, { title: 'Risk' }, { title: 'When' }]}
                >
                  {[...p.history].reverse().map((d, index) => (
                    <IndexTable.Row id={d.id} key={d.id} position={index}>
                      <IndexTable.Cell>
                        <Link dataPrimaryLink url={`/decisions/${d.id}`} monochrome removeUnderline accessibilityLabel={`Open the ${kindLabel(d.kind).toLowerCase()} decision on ${orderLabel(d.orderName, d.orderId ?? d.subjectId)}`}>
                          {orderLabel(d.orderName, d.orderId ?? d.subjectId)}
                        </Link>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{kindLabel(d.kind)}</IndexTable.Cell>
                      <IndexTable.Cell><ZoneBadge zone={d.zone} score={d.score} /></IndexTable.Cell>
                      <IndexTable.Cell>{dateTime(d.decidedAt)}</IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
          {p ? (
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">Aggregate risk</Text>
                <InlineStack align="space-between"><Text as="span">Decisions</Text><Text as="span">{p.decisionsCount}</Text></InlineStack>
                <InlineStack align="space-between"><Text as="span">Average score</Text><Text as="span">{p.averageScore === null ? '—' : Math.round(p.averageScore)}</Text></InlineStack>
                <InlineStack align="space-between">
                  <Text as="span">Trajectory</Text>
                  <Badge tone={TRAJECTORY_TONE[p.trajectory as keyof typeof TRAJECTORY_TONE]}>{TRAJECTORY_WORDS[p.trajectory] ?? p.trajectory}</Badge>
                </InlineStack>
                <Text as="h3" variant="headingSm">Tags</Text>
                {p.tags.length === 0 ? <Text as="p" tone="subdued">No tags.</Text> : <InlineStack gap="100">{p.tags.map((t) => <Badge key={t}>{t}</Badge>)}</InlineStack>}
              </BlockStack>
            </Card>
          ) : null}
          {p ? <SnoozeCard customerId={decodeURIComponent(id)} signalIds={[...(catalog.data?.signals ?? [])].sort((a, b) => a.title.localeCompare(b.title)).map((s) => s.id)} names={Object.fromEntries((catalog.data?.signals ?? []).map((s) => [s.id, s.title]))} /> : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
