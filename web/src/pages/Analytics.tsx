import { Badge, BlockStack, Button, Card, Checkbox, DataTable, FormLayout, InlineGrid, InlineStack, Layout, Page, ProgressBar, Select, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { LineChart, PolarisVizProvider } from '@shopify/polaris-viz';
import '@shopify/polaris-viz/build/esm/styles.css';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, download, type Comparison, type GoalList, type GoalMetric, type NewGoal, type SkuTrends } from '../api.ts';
import { ChartFigure } from '../components/ChartFigure.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { dateTime, money, percent, pointsChange, wholeMoney } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';

/**
 * How each headline figure reads (amounts in the shop's currency), whether it is a rate (its change
 * is told in percentage points, not as a ratio of rates) and whether a rise is bad news (risk) or
 * neutral (volume).
 */
function metricsIn(currency: string | null | undefined): Record<string, { label: string; format: (n: number) => string; rate?: true; riseIsBad: boolean }> {
  const whole = (n: number) => n.toLocaleString('en');
  const amount = (n: number) => wholeMoney(n, currency);
  return {
    orders: { label: 'Orders', format: whole, riseIsBad: false },
    returns: { label: 'Returns', format: whole, riseIsBad: true },
    returnRate: { label: 'Returns per order', format: percent, rate: true, riseIsBad: true },
    refundedValue: { label: 'Refunded', format: amount, riseIsBad: true },
    refundValueHigh: { label: 'Refunded, scored HIGH', format: amount, riseIsBad: true },
    highShare: { label: 'Decisions scored HIGH', format: percent, rate: true, riseIsBad: true },
    holds: { label: 'Fulfilments held', format: whole, riseIsBad: false },
    chargebacks: { label: 'Chargebacks', format: whole, riseIsBad: true },
    chargebackAmount: { label: 'Charged back', format: amount, riseIsBad: true },
    doubleDips: { label: 'Double dips', format: whole, riseIsBad: true },
  };
}
const STATUS_TONE: Record<string, 'success' | 'critical' | 'attention' | 'info' | undefined> = { 'on track': 'success', met: 'success', behind: 'attention', missed: 'critical', 'not started': 'info' };
/** A goal's figure: a rate as a percentage, an amount per day in the shop's currency, a count per day. */
const goalValue = (metric: string, n: number | null, currency: string | null | undefined) =>
  n === null ? '—' : metric === 'highShare' || metric === 'returnRate' ? percent(n) : metric === 'chargebackAmount' || metric === 'refundValueHigh' ? `${money(n, currency)} a day` : `${n.toFixed(1)} a day`;
const today = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Any period against the one before it, the SKUs returned most, and fraud-reduction goals; every table exports as CSV. */
export function Analytics() {
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const compare = params.get('compare') !== 'false';
  const bucket = params.get('bucket') === 'month' ? 'month' : 'week';
  const query = new URLSearchParams();
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  query.set('compare', String(compare));
  query.set('bucket', bucket);
  const summary = useApi<Comparison>(`/api/analytics?${query}`);
  const skus = useApi<SkuTrends>(`/api/analytics/skus?${query}`);
  const goals = useApi<GoalList>('/api/goals');
  const [failure, setFailure] = useState<Error>();
  const [draft, setDraft] = useState({ metric: 'chargebackAmount' as GoalMetric, reduceByPct: '25', startsOn: today(), endsOn: today(90), note: '' });
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const csv = (table: string) => download(`/api/analytics/${table}.csv?${query}`, `${table}.csv`).catch((e: unknown) => setFailure(e as Error));
  const addGoal = async () => {
    setFailure(undefined);
    try {
      await api('/api/goals', { method: 'POST', body: { metric: draft.metric, reduceByPct: Number(draft.reduceByPct), startsOn: draft.startsOn, endsOn: draft.endsOn, ...(draft.note ? { note: draft.note } : {}) } satisfies NewGoal });
      goals.reload();
    } catch (error) {
      setFailure(error as Error);
    }
  };
  const removeGoal = async (id: string) => {
    await api(`/api/goals/${id}`, { method: 'DELETE' }).catch((e: unknown) => setFailure(e as Error));
    goals.reload();
  };
  const s = summary.data;
  const METRICS = metricsIn(s?.currency);
  const top = skus.data?.skus ?? [];

  return (
    <Page title="Analytics" subtitle="Any period against the one before it" secondaryActions={[{ content: 'Export summary CSV', onAction: () => void csv('summary') }]}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={summary.error ?? skus.error ?? goals.error ?? failure} onRetry={summary.reload} title="Analytics" />
            <InlineStack gap="300" blockAlign="end">
              <div style={{ width: 160 }}><TextField label="From" type="date" value={from} onChange={(v) => set('from', v)} autoComplete="off" /></div>
              <div style={{ width: 160 }}><TextField label="To" type="date" value={to} onChange={(v) => set('to', v)} autoComplete="off" /></div>
              <Checkbox label="Compare with the period before" checked={compare} onChange={(on) => set('compare', on ? null : 'false')} />
              {s ? <Text as="span" tone="subdued">{`${dateTime(s.window.from)} – ${dateTime(s.window.to)}${s.previousWindow ? ` vs ${dateTime(s.previousWindow.from)} – ${dateTime(s.previousWindow.to)}` : ''}`}</Text> : null}
            </InlineStack>
            {!s && summary.loading ? <Card><SkeletonBodyText lines={6} /></Card> : null}
            {s ? (
              <InlineGrid columns={{ xs: 2, md: 5 }} gap="300">
                {s.changes.map((c) => {
                  const m = METRICS[c.metric]!;
                  // A rate's change in percentage points (10% → 12% is +2.0 pts); a count's or amount's relative to before.
                  const rose = m.rate ? (c.current !== null && c.previous !== null ? Math.sign(c.current - c.previous) : 0) : Math.sign(c.changePct ?? 0);
                  const tone = rose === 0 ? 'subdued' : (rose > 0) === m.riseIsBad ? 'critical' : 'success';
                  const before = c.previous === null ? '—' : m.format(c.previous);
                  return (
                    <Card key={c.metric}>
                      <BlockStack gap="100">
                        <Text as="span" tone="subdued">{m.label}</Text>
                        <Text as="p" variant="headingLg" id={`metric-${c.metric}`}>{c.current === null ? '—' : m.format(c.current)}</Text>
                        {s.previousWindow ? (
                          <Text as="span" tone={tone === 'subdued' ? 'subdued' : tone} id={`change-${c.metric}`}>
                            {m.rate
                              ? c.current !== null && c.previous !== null ? `${pointsChange(c.current, c.previous)} (from ${before})` : `before: ${before}`
                              : c.changePct === null ? `before: ${before}` : `${c.changePct > 0 ? '+' : ''}${(c.changePct * 100).toFixed(1)}% (${before})`}
                          </Text>
                        ) : null}
                      </BlockStack>
                    </Card>
                  );
                })}
              </InlineGrid>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">SKUs returned most</Text>
                  <InlineStack gap="200" blockAlign="center">
                    <Select label="Per" labelInline options={[{ label: 'week', value: 'week' }, { label: 'month', value: 'month' }]} value={bucket} onChange={(v) => set('bucket', v === 'week' ? null : v)} />
                    <Button size="slim" onClick={() => void csv('skus')} accessibilityLabel="Export CSV of SKUs returned most">Export CSV</Button>
                  </InlineStack>
                </InlineStack>
                {top.length > 0 ? (
                  <ChartFigure label="Line chart of units returned per period for the five SKUs returned most" height={260} testId="sku-trend-chart" data={top.slice(0, 5).map((t) => ({ name: t.sku, data: t.series.map((b) => ({ key: b.bucket, value: b.returned })) }))}>
                    {(data) => (
                      <PolarisVizProvider>
                        <LineChart theme="Light" isAnimated={false} data={data} />
                      </PolarisVizProvider>
                    )}
                  </ChartFigure>
                ) : <Text as="p" tone="subdued">No returns in this period.</Text>}
                <DataTable
                  columnContentTypes={['text', 'text', 'numeric', 'numeric', 'numeric']}
                  headings={['SKU', 'Product', 'Sold', 'Returned', 'Returned / sold (same period)']}
                  rows={top.map((t) => [t.sku, t.title ?? '—', t.sold, t.returned, t.sold > 0 ? `${((t.returned / t.sold) * 100).toFixed(0)}%` : '—'])}
                />
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">Fraud-reduction goals</Text>
                <Button size="slim" onClick={() => void csv('goals')} accessibilityLabel="Export CSV of fraud-reduction goals">Export CSV</Button>
              </InlineStack>
              {goals.data?.goals.length === 0 ? <Text as="p" tone="subdued">No goal yet.</Text> : null}
              {goals.data?.goals.map((g) => (
                <div key={g.id} data-goal={g.metric}>
                  <BlockStack gap="100">
                    <InlineStack align="space-between" blockAlign="center">
                      <Text as="h3" variant="headingSm">{`${g.label} −${g.reduceByPct}%`}</Text>
                      <Badge tone={STATUS_TONE[g.status]}>{g.status}</Badge>
                    </InlineStack>
                    <Text as="p" tone="subdued">{`${g.startsOn} → ${g.endsOn}${g.note ? ` · ${g.note}` : ''}`}</Text>
                    <ProgressBar progress={Math.max(0, Math.min(100, (g.progress ?? 0) * 100))} tone={g.status === 'behind' || g.status === 'missed' ? 'critical' : 'success'} size="small" />
                    <Text as="p">{`Before ${goalValue(g.metric, g.baseline, goals.data?.currency)} · target ${goalValue(g.metric, g.target, goals.data?.currency)} · now ${goalValue(g.metric, g.current, goals.data?.currency)}`}</Text>
                    <InlineStack><Button variant="plain" tone="critical" onClick={() => void removeGoal(g.id)}>Delete</Button></InlineStack>
                  </BlockStack>
                </div>
              ))}
              <FormLayout>
                <Select label="Reduce" options={Object.entries(goals.data?.metrics ?? {}).map(([value, m]) => ({ value, label: m.label }))} value={draft.metric} onChange={(v) => setDraft({ ...draft, metric: v as GoalMetric })} />
                <TextField label="By (%)" type="number" min={1} max={100} value={draft.reduceByPct} onChange={(v) => setDraft({ ...draft, reduceByPct: v })} autoComplete="off" />
                <FormLayout.Group condensed>
                  <TextField label="From" type="date" value={draft.startsOn} onChange={(v) => setDraft({ ...draft, startsOn: v })} autoComplete="off" />
                  <TextField label="Until" type="date" value={draft.endsOn} onChange={(v) => setDraft({ ...draft, endsOn: v })} autoComplete="off" />
                </FormLayout.Group>
                <TextField label="Note" value={draft.note} onChange={(v) => setDraft({ ...draft, note: v })} autoComplete="off" />
                <Button onClick={() => void addGoal()}>Add goal</Button>
              </FormLayout>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
