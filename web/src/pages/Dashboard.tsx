import { Badge, BlockStack, Button, ButtonGroup, Card, EmptyState, IndexTable, InlineStack, Layout, Link, Page, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, type DecisionList, type HoldList, type Kind, type SignalCatalog, type Zone } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { dateTime, kindLabel, orderLabel, signalTitle, withoutGids } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';
import { ZoneBadge } from '../components/ZoneBadge.tsx';

const ZONES: Zone[] = ['high', 'medium', 'low'];
const KINDS: Kind[] = ['order', 'return', 'refund'];

/** Every decision (`/decisions`; the home page is the review queue): score, zone and top signals, filters, counts, held orders. */
export function Dashboard() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const zone = params.get('zone') as Zone | null;
  const kind = params.get('kind') as Kind | null;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const before = params.get('before');
  const query = new URLSearchParams();
  if (zone) query.set('zone', zone);
  if (kind) query.set('kind', kind);
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  if (before) query.set('before', before);
  query.set('limit', '25');
  const list = useApi<DecisionList>(`/api/decisions?${query}`);
  const holds = useApi<HoldList>('/api/holds');
  const catalog = useApi<SignalCatalog>('/api/signals');
  const [releasing, setReleasing] = useState<string>();
  const [releaseError, setReleaseError] = useState<Error>();

  const setFilter = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('before');
    setParams(next);
  };
  const release = async (actionId: string) => {
    setReleasing(actionId);
    setReleaseError(undefined);
    try {
      await api(`/api/actions/${actionId}/release`, { method: 'POST' });
      holds.reload();
    } catch (error) {
      setReleaseError(error as Error);
    } finally {
      setReleasing(undefined);
    }
  };

  const counts = list.data?.counts ?? {};
  const rows = list.data?.decisions ?? [];
  return (
    <Page title="Decisions" subtitle="Every risk decision on this shop's orders, returns and refunds, newest first" secondaryActions={[{ content: 'Backfill', onAction: () => navigate('/backfill') }]}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={list.error} onRetry={list.reload} title="The decisions could not be loaded" />
            <InlineStack gap="400" wrap>
              {ZONES.map((z) => (
                <Card key={z}>
                  <BlockStack gap="100">
                    <ZoneBadge zone={z} />
                    <Text as="p" variant="headingLg" id={`count-${z}`}>
                      {(counts[z] ?? 0).toLocaleString('en')}
                    </Text>
                    <Text as="p" tone="subdued">{(counts[z] ?? 0) === 1 ? 'decision' : 'decisions'}</Text>
                  </BlockStack>
                </Card>
              ))}
            </InlineStack>
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="300" wrap blockAlign="center">
                  <ButtonGroup variant="segmented">
                    <Button pressed={!zone} onClick={() => setFilter('zone', null)}>All zones</Button>
                    {ZONES.map((z) => (
                      <Button key={z} pressed={zone === z} onClick={() => setFilter('zone', z)}>{`${kindLabel(z)} (${(counts[z] ?? 0).toLocaleString('en')})`}</Button>
                    ))}
                  </ButtonGroup>
                  <ButtonGroup variant="segmented">
                    <Button pressed={!kind} onClick={() => setFilter('kind', null)}>All types</Button>
                    {KINDS.map((k) => (
                      <Button key={k} pressed={kind === k} onClick={() => setFilter('kind', k)}>{`${kindLabel(k)}s`}</Button>
                    ))}
                  </ButtonGroup>
                  <InlineStack gap="200" wrap={false}>
                    <div style={{ width: 150 }}>
                      <TextField label="From" labelHidden placeholder="From" type="date" value={from} onChange={(value) => setFilter('from', value)} autoComplete="off" />
                    </div>
                    <div style={{ width: 150 }}>
                      <TextField label="To" labelHidden placeholder="To" type="date" value={to} onChange={(value) => setFilter('to', value)} autoComplete="off" />
                    </div>
                  </InlineStack>
                </InlineStack>
                {list.loading && !list.data ? (
                  <SkeletonBodyText lines={8} />
                ) : rows.length === 0 && !list.error ? (
                  <EmptyState heading="No decisions match" image="">
                    <p>Orders, returns and refunds appear here as they are scored (and from the backfill of the shop's history).</p>
                  </EmptyState>
                ) : (
                  <IndexTable
                    resourceName={{ singular: 'decision', plural: 'decisions' }}
                    itemCount={rows.length}
                    selectable={false}
                    loading={list.loading}
                    headings={[{ title: 'Subject' }, { title: 'Type' }, { title: 'Risk' }, { title: 'Top signals' }, { title: 'When' }]}
                    pagination={{
                      hasNext: Boolean(list.data?.next),
                      onNext: () => setParams((p) => { const next = new URLSearchParams(p); next.set('before', list.data!.next!); return next; }),
                      hasPrevious: Boolean(before),
                      onPrevious: () => setFilter('before', null),
                    }}
                  >
                    {rows.map((d, index) => (
                      <IndexTable.Row id={d.id} key={d.id} position={index}>
                        <IndexTable.Cell>
                          {/* A real link: Tab reaches it, Enter opens the decision (a click on the row too). */}
                          <Link dataPrimaryLink url={`/decisions/${d.id}`} monochrome removeUnderline accessibilityLabel={`Open the ${kindLabel(d.kind).toLowerCase()} decision on ${orderLabel(d.orderName, d.orderId ?? d.subjectId)}`}>
                            <Text as="span" fontWeight="semibold">{orderLabel(d.orderName, d.orderId ?? d.subjectId)}</Text>
                          </Link>
                        </IndexTable.Cell>
                        <IndexTable.Cell>{kindLabel(d.kind)}</IndexTable.Cell>
                        <IndexTable.Cell>
                          <ZoneBadge zone={d.zone} score={d.score} />
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <div style={{ whiteSpace: 'normal', maxWidth: 440 }}>
                          <BlockStack gap="050">
                            {d.topSignals.length === 0 ? <Text as="span" tone="subdued">No signal fired</Text> : null}
                            {d.topSignals.map((s) => (
                              <span key={s.id} title={withoutGids(s.message)}>
                                <Text as="span" variant="bodySm">{`${signalTitle(s.id, catalog.data?.signals)} +${Math.round(s.points)}`}</Text>
                              </span>
                            ))}
                          </BlockStack>
                          </div>
                        </IndexTable.Cell>
                        <IndexTable.Cell>{dateTime(d.decidedAt)}</IndexTable.Cell>
                      </IndexTable.Row>
                    ))}
                  </IndexTable>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">Held orders awaiting review</Text>
              <ErrorBanner error={holds.error ?? releaseError} onRetry={holds.reload} title="Holds" />
              {holds.loading && !holds.data ? <SkeletonBodyText lines={3} /> : null}
              {holds.data && holds.data.holds.length === 0 ? <Text as="p" tone="subdued">No order is on hold.</Text> : null}
              {holds.data?.holds.map((h) => (
                <InlineStack key={h.actionId} align="space-between" blockAlign="center">
                  <Button variant="plain" onClick={() => navigate(`/decisions/${h.decisionId}`)}>{h.orderName ? `Order ${h.orderName}` : 'An order not stored yet'}</Button>
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone="attention">On hold</Badge>
                    <Button size="slim" loading={releasing === h.actionId} onClick={() => release(h.actionId)} accessibilityLabel={`Release the hold on ${h.orderName ? `order ${h.orderName}` : `the order of decision ${h.decisionId}`}`}>
                      Release
                    </Button>
                  </InlineStack>
                </InlineStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
