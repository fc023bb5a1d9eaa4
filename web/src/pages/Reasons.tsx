import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, InlineStack, Layout, Page, Select, SkeletonBodyText, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { api, ApiError, type ReasonCategory, type ReasonsResponse } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { count, dateTime, gidLabel } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';

const TONE: Record<ReasonCategory, 'info' | 'warning' | 'attention' | 'success' | 'critical' | undefined> = {
  sizing: 'info',
  quality_defect: 'warning',
  not_as_described: 'attention',
  changed_mind: 'success',
  suspicious: 'critical',
  other: undefined,
};
const LABEL: Record<ReasonCategory, string> = {
  sizing: 'Sizing / fit',
  quality_defect: 'Quality defect',
  not_as_described: 'Not as described',
  changed_mind: 'Changed mind',
  suspicious: 'Suspicious / coordinated',
  other: 'Other',
};
const ORDER: ReasonCategory[] = ['sizing', 'quality_defect', 'not_as_described', 'changed_mind', 'suspicious', 'other'];

function CategoryBadge({ category }: { category: ReasonCategory }) {
  return <Badge tone={TONE[category]}>{LABEL[category]}</Badge>;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const clip = (text: string, n = 140) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** Return reasons: the customers' free-text notes grouped into actionable clusters, per product and SKU. */
export function Reasons() {
  /**
   * Set by Recompute: the run that was the latest when it was asked (polling runs until another
   * run, the one asked for, has ended). Not a time window: a run that ended just before the click
   * must not count as the new one.
   */
  const [awaiting, setAwaiting] = useState<{ previousRun: string | null } | null>(null);
  const polling = awaiting !== null;
  const reasons = useApi<ReasonsResponse>('/api/reasons?products=50', polling ? 1500 : undefined);
  const [refreshError, setRefreshError] = useState<ApiError>();
  const [product, setProduct] = useState<string>('');
  const data = reasons.data;
  const report = data?.report ?? null;
  useEffect(() => {
    if (awaiting && data?.lastRun && data.lastRun.createdAt !== awaiting.previousRun && data.status !== 'running') setAwaiting(null);
  }, [data, awaiting]);
  const refresh = async () => {
    try {
      await api('/api/reasons/refresh', { method: 'POST' });
      setRefreshError(undefined);
      setAwaiting({ previousRun: data?.lastRun?.createdAt ?? null });
      reasons.reload();
    } catch (error) {
      setRefreshError(error as ApiError);
    }
  };
  const selected = report?.products.find((p) => p.productId === product) ?? report?.products[0];
  /** A product by its title (its order lines'), else "Product 123": never a GID. */
  const productName = (id: string) => data?.productTitles?.[id] ?? gidLabel(id);
  return (
    <Page
      title="Return reasons"
      subtitle="What customers write when they return: grouped into clusters you can act on, per product and SKU"
      primaryAction={{ content: 'Recompute', onAction: refresh, loading: polling || data?.status === 'running' }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={reasons.error} onRetry={reasons.reload} title="Return reasons could not be loaded" />
            <ErrorBanner error={refreshError} title="Recompute could not be started" />
            {!data && reasons.loading ? <Card><SkeletonBodyText lines={8} /></Card> : null}
            {data && !report ? (
              <Banner tone="info" title={data.status === 'running' ? 'Clustering the return notes…' : 'No reason clusters yet'}>
                <p>{data.status === 'failed' ? `The last run failed: ${data.lastRun?.error}` : 'They are computed when the backfill finishes, or now with Recompute.'}</p>
              </Banner>
            ) : null}
            {report ? (
              <>
                <InlineStack gap="300" blockAlign="center" wrap>
                  <div id="reasons-summary" data-computed-at={report.computedAt}>
                    <Text as="p" tone="subdued">{`${count(report.notes, 'note')} on ${count(report.returns, 'return')} · ${count(report.clusters.length, 'cluster')} · computed ${dateTime(report.computedAt)}`}</Text>
                  </div>
                  {report.llm.configured ? (
                    report.llm.failed > 0 ? (
                      <Badge tone="warning">{`LLM names failed (${report.llm.error ?? 'error'}); offline names shown`}</Badge>
                    ) : (
                      <Badge tone="success">{`Names refined by ${report.llm.model}: ${report.llm.refined} of ${report.clusters.length}`}</Badge>
                    )
                  ) : (
                    <Badge>Offline names (no LLM configured)</Badge>
                  )}
                </InlineStack>
                {report.coordinated.length > 0 ? (
                  <Banner tone="critical" title={`${count(report.coordinated.length, 'group')} of near-identical notes from different customers`}>
                    <BlockStack gap="200">
                      {report.coordinated.slice(0, 5).map((g, i) => (
                        <Text as="p" key={i}>
                          {`${count(g.returnIds.length, 'return')} from ${count(g.customers, 'customer')}${g.from ? `, ${dateTime(g.from)} – ${dateTime(g.to!)}` : ''}, ${Math.round(g.similarity * 100)}% alike: “${clip(g.example, 160)}”`}
                        </Text>
                      ))}
                    </BlockStack>
                  </Banner>
                ) : null}
                <Card padding="0">
                  <Box padding="400"><Text as="h2" variant="headingMd">Categories</Text></Box>
                  <DataTable
                    columnContentTypes={['text', 'numeric', 'numeric', 'text', 'text']}
                    headings={['Category', 'Notes', 'Share', 'Top product', 'Top SKU']}
                    rows={ORDER.map((c) => report.categories.find((x) => x.category === c)!).filter((c) => c && c.count > 0).map((c) => [
                      <CategoryBadge key="c" category={c.category} />,
                      c.count,
                      pct(c.share),
                      c.topProducts.slice(0, 1).map((p) => `${productName(p.key)} (${count(p.count, 'note')})`).join(', '),
                      c.topSkus.slice(0, 1).map((p) => `${p.key} (${count(p.count, 'note')})`).join(', '),
                    ])}
                  />
                </Card>
                <Card>
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">Clusters</Text>
                    {report.clusters.map((cluster) => (
                      <Box key={cluster.id} borderColor="border" borderWidth="025" borderRadius="200" padding="300">
                        <BlockStack gap="150">
                          <InlineStack gap="200" blockAlign="center">
                            <CategoryBadge category={cluster.category} />
                            <Text as="h3" variant="headingSm">{cluster.refinedLabel ?? cluster.label}</Text>
                            <Text as="span" tone="subdued">{count(cluster.size, 'note')}</Text>
                            {cluster.refined ? <Badge tone="magic">LLM name</Badge> : null}
                          </InlineStack>
                          <Text as="p" tone="subdued">{`Top words: ${cluster.terms.join(', ')}`}</Text>
                          {cluster.examples.slice(0, 2).map((e, i) => <Text as="p" key={i}>{`“${clip(e)}”`}</Text>)}
                        </BlockStack>
                      </Box>
                    ))}
                  </BlockStack>
                </Card>
              </>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          {report && selected ? (
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">By product</Text>
                <Select
                  label="Product"
                  options={report.products.map((p) => ({ label: `${productName(p.productId)} (${count(p.notes, 'note')})`, value: p.productId }))}
                  value={selected.productId}
                  onChange={setProduct}
                />
                <BlockStack gap="100" id="product-categories">
                  {ORDER.filter((c) => selected.categories[c]).map((c) => (
                    <InlineStack key={c} align="space-between"><CategoryBadge category={c} /><Text as="span">{String(selected.categories[c])}</Text></InlineStack>
                  ))}
                </BlockStack>
                <DataTable
                  columnContentTypes={['text', 'numeric', 'text']}
                  headings={['SKU', 'Notes', 'Main reason']}
                  rows={selected.skus.map((s) => {
                    const main = ORDER.filter((c) => s.categories[c]).sort((a, b) => (s.categories[b] ?? 0) - (s.categories[a] ?? 0))[0];
                    return [s.sku, s.notes, main ? LABEL[main] : '—'];
                  })}
                />
                {ORDER.filter((c) => selected.examples[c]?.length).slice(0, 3).map((c) => (
                  <Text as="p" key={c} tone="subdued">{`${LABEL[c]}: “${clip(selected.examples[c]![0]!, 110)}”`}</Text>
                ))}
              </BlockStack>
            </Card>
          ) : null}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
