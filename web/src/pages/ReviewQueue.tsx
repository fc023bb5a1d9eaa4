import { Badge, BlockStack, Box, Button, ButtonGroup, Card, EmptyState, Form, IndexTable, InlineStack, Link, Page, SkeletonBodyText, Text, TextField, useBreakpoints } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, type Kind, type QueueCounts, type QueueItem, type QueuePage, type QueueReason, type Zone } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { gidLabel, money, withoutGids } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';
import { ZoneBadge } from '../components/ZoneBadge.tsx';

const ZONES: Zone[] = ['high', 'medium', 'low'];
const KINDS: Kind[] = ['order', 'return', 'refund'];
const REASONS: QueueReason[] = ['unlabelled', 'held', 'ring'];
const ZONE_WORDS: Record<Zone, string> = { high: 'High', medium: 'Medium', low: 'Low' };
const KIND_WORDS: Record<Kind, string> = { order: 'Orders', return: 'Returns', refund: 'Refunds' };
const REASON_WORDS: Record<QueueReason, string> = { unlabelled: 'Not labelled', held: 'On hold', ring: 'Ring alert' };
const REASON_TONE: Record<QueueReason, 'info' | 'attention' | 'critical'> = { unlabelled: 'info', held: 'attention', ring: 'critical' };
/** Rows per page, unless the address says otherwise (`?limit=`, 1-100). */
const PAGE_SIZE = 25;

/** What the row is about, in words: the order's name (and the kind when it is a return or refund). */
function subjectLabel(item: QueueItem): string {
  const order = item.orderName ?? gidLabel(item.orderId ?? item.subjectId);
  return item.kind === 'order' ? order : `${order} · ${item.kind === 'return' ? 'Return' : 'Refund'}`;
}

/** A filter's buttons: "All" and each value with its count (which follows the other filters). */
function FilterGroup<T extends string>({ label, all, values, words, counts, value, onChange }: {
  label: string; all: string; values: readonly T[]; words: Record<T, string>; counts: Record<T, number> | undefined; value: T | null; onChange: (value: T | null) => void;
}) {
  return (
    <InlineStack gap="200" blockAlign="center" wrap>
      <Text as="span" variant="bodySm" tone="subdued">{label}</Text>
      <ButtonGroup>
        <Button size="slim" pressed={value === null} onClick={() => onChange(null)}>{all}</Button>
        {values.map((v) => (
          <Button key={v} size="slim" pressed={value === v} onClick={() => onChange(value === v ? null : v)} id={`filter-${v}`}>
            {`${words[v]} (${counts?.[v] ?? 0})`}
          </Button>
        ))}
      </ButtonGroup>
    </InlineStack>
  );
}

/**
 * The admin's home: what needs a decision now (`GET /api/queue`) — unlabelled MEDIUM/HIGH
 * decisions, orders RefundSentry holds, orders that matched a fraud ring lately — the most money
 * at risk first. Filters with counts that follow the other filters, a search by order name,
 * customer or email, "Load more" by cursor; each row is a link to its decision (Tab to it, Enter).
 */
export function ReviewQueue() {
  const [params, setParams] = useSearchParams();
  const { mdDown } = useBreakpoints();
  const zone = params.get('zone') as Zone | null;
  const kind = params.get('kind') as Kind | null;
  const reason = params.get('reason') as QueueReason | null;
  const q = params.get('q') ?? '';
  const query = new URLSearchParams();
  if (zone) query.set('zone', zone);
  if (kind) query.set('kind', kind);
  if (reason) query.set('reason', reason);
  if (q) query.set('q', q);
  query.set('limit', params.get('limit') ?? String(PAGE_SIZE));
  const path = `/api/queue?${query}`;
  const first = useApi<QueuePage>(path);
  // Pages loaded after the first, by cursor; forgotten when the filters change.
  const [more, setMore] = useState<{ path: string; items: QueueItem[]; next: string | null; counts: QueueCounts; total: number }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error>();
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);
  const extra = more?.path === path ? more : undefined;

  const setFilter = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const next = extra ? extra.next : (first.data?.next ?? null);
  const loadMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await api<QueuePage>(`${path}&after=${encodeURIComponent(next)}`);
      setMore({ path, items: [...(extra?.items ?? []), ...page.items], next: page.next, counts: page.counts, total: page.total });
    } catch (error) {
      setMoreError(error as Error);
    } finally {
      setLoadingMore(false);
    }
  };

  const items = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  // The counts and total of the latest page fetched (rows may have arrived since the first).
  const counts = extra?.counts ?? first.data?.counts;
  const total = extra?.total ?? first.data?.total ?? 0;
  const filtered = Boolean(zone || kind || reason || q);

  const rowMarkup = items.map((item, index) => {
    const link = (
      <Link dataPrimaryLink url={`/decisions/${item.decisionId}`} monochrome removeUnderline accessibilityLabel={`Open the decision on ${subjectLabel(item)}`}>
        <Text as="span" fontWeight="semibold">{subjectLabel(item)}</Text>
      </Link>
    );
    const value = <span data-testid="queue-value">{money(item.value, item.currency)}</span>;
    const why = (
      <InlineStack gap="100" wrap>
        {item.reasons.map((r) => <Badge key={r} tone={REASON_TONE[r]}>{REASON_WORDS[r]}</Badge>)}
      </InlineStack>
    );
    if (mdDown) {
      return (
        <IndexTable.Row id={item.decisionId} key={item.decisionId} position={index}>
          <div style={{ padding: 'var(--p-space-300) var(--p-space-400)' }} data-decision={item.decisionId}>
            <BlockStack gap="150">
              <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
                {link}
                <Text as="span" fontWeight="semibold" numeric>{value}</Text>
              </InlineStack>
              <InlineStack gap="200" blockAlign="center" wrap>
                <ZoneBadge zone={item.zone} score={item.score} />
                {why}
              </InlineStack>
              {item.headline ? <Text as="p" variant="bodySm">{withoutGids(item.headline)}</Text> : null}
              <Text as="p" variant="bodySm" tone="subdued">{`Next: ${item.recommendation.step}`}</Text>
            </BlockStack>
          </div>
        </IndexTable.Row>
      );
    }
    return (
      <IndexTable.Row id={item.decisionId} key={item.decisionId} position={index}>
        <IndexTable.Cell>
          <span data-decision={item.decisionId}>{link}</span>
        </IndexTable.Cell>
        <IndexTable.Cell>{item.customerId ? gidLabel(item.customerId) : <Text as="span" tone="subdued">Guest</Text>}</IndexTable.Cell>
        <IndexTable.Cell>
          <Text as="span" alignment="end" numeric>{value}</Text>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <ZoneBadge zone={item.zone} score={item.score} />
        </IndexTable.Cell>
        <IndexTable.Cell>
          <div style={{ whiteSpace: 'normal', minWidth: 160, maxWidth: 280 }}>
            {item.headline ? <Text as="span" variant="bodySm">{withoutGids(item.headline)}</Text> : <Text as="span" variant="bodySm" tone="subdued">No signal fired</Text>}
          </div>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <div style={{ whiteSpace: 'normal', minWidth: 140, maxWidth: 220 }} title={item.recommendation.text}>
            <Text as="span" variant="bodySm" fontWeight="medium">{item.recommendation.step}</Text>
          </div>
        </IndexTable.Cell>
        <IndexTable.Cell>{why}</IndexTable.Cell>
        <IndexTable.Cell>
          <Text as="span" alignment="end" numeric tone={item.revision ? undefined : 'subdued'}>{item.revision}</Text>
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  return (
    <Page title="Review queue" subtitle="What needs a decision now, the most money at risk first">
      <BlockStack gap="400">
        <ErrorBanner error={first.error} onRetry={first.reload} title="The queue could not be loaded" />
        <Card>
          <BlockStack gap="300">
            <Form onSubmit={() => setFilter('q', search.trim() || null)}>
              <TextField
                label="Search"
                labelHidden
                placeholder="#1001, customer ID or email"
                value={search}
                onChange={setSearch}
                autoComplete="off"
                clearButton
                onClearButtonClick={() => {
                  setSearch('');
                  setFilter('q', null);
                }}
                connectedRight={<Button submit>Search</Button>}
              />
            </Form>
            <FilterGroup label="Zone" all="All zones" values={ZONES} words={ZONE_WORDS} counts={counts?.zone} value={zone} onChange={(v) => setFilter('zone', v)} />
            <FilterGroup label="Type" all="All types" values={KINDS} words={KIND_WORDS} counts={counts?.kind} value={kind} onChange={(v) => setFilter('kind', v)} />
            <FilterGroup label="Why" all="Any reason" values={REASONS} words={REASON_WORDS} counts={counts?.reason} value={reason} onChange={(v) => setFilter('reason', v)} />
          </BlockStack>
        </Card>
        <Card padding="0">
          {first.loading && !first.data ? (
            <div style={{ padding: 'var(--p-space-400)' }}>
              <SkeletonBodyText lines={8} />
            </div>
          ) : items.length === 0 && !first.error ? (
            <EmptyState heading={filtered ? 'Nothing matches' : 'Nothing needs a decision'} image="">
              <p>
                {filtered
                  ? 'No order, return or refund in the queue matches these filters.'
                  : 'MEDIUM and HIGH decisions waiting for a label, orders RefundSentry holds and orders that matched a fraud ring appear here as they arrive.'}
              </p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: 'subject', plural: 'subjects' }}
              itemCount={items.length}
              selectable={false}
              loading={first.loading}
              condensed={mdDown}
              headings={[
                { title: 'Order' },
                { title: 'Customer' },
                { title: 'At risk', alignment: 'end' },
                { title: 'Risk' },
                { title: 'Reason' },
                { title: 'Next step' },
                { title: 'Why here' },
                { title: 'Revisions', alignment: 'end' },
              ]}
            >
              {rowMarkup}
            </IndexTable>
          )}
        </Card>
        <ErrorBanner error={moreError} onRetry={() => void loadMore()} title="The next page could not be loaded" />
        {items.length > 0 ? (
          <Box paddingInline={{ xs: '400', sm: '0' }}>
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p" tone="subdued" id="queue-shown">{`Showing ${items.length} of ${total}`}</Text>
              {next ? <Button onClick={() => void loadMore()} loading={loadingMore}>Load more</Button> : null}
            </InlineStack>
          </Box>
        ) : null}
      </BlockStack>
    </Page>
  );
}
