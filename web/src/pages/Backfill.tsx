import { Badge, Banner, BlockStack, Button, Card, Icon, InlineStack, Page, ProgressBar, Spinner, Text } from '@shopify/polaris';
import { AlertCircleIcon, CheckCircleIcon } from '@shopify/polaris-icons';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, currentShop, type BackfillProgress, type StageProgress } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { useApi } from '../components/useApi.ts';

const TITLES: Record<string, string> = {
  orders: 'Orders',
  fulfillments: 'Fulfilments',
  returns: 'Returns',
  refunds: 'Refunds',
  chargebacks: 'Chargebacks',
  aging: 'Aging inference',
  baseline: 'Baseline',
  scoring: 'Scoring the history',
};

function StageRow({ stage }: { stage: StageProgress }) {
  const share = stage.total ? Math.min(100, Math.round((stage.processed / stage.total) * 100)) : null;
  return (
    <div data-stage={stage.stage} data-status={stage.status} style={{ opacity: stage.status === 'pending' ? 0.5 : 1 }}>
      <BlockStack gap="100">
        <InlineStack gap="200" blockAlign="center">
          <span style={{ display: 'inline-flex', width: 20, height: 20 }}>
            {stage.status === 'done' ? <Icon source={CheckCircleIcon} tone="success" accessibilityLabel="done" /> : null}
            {stage.status === 'running' ? <Spinner size="small" accessibilityLabel="running" /> : null}
            {stage.status === 'failed' || stage.status === 'paused' ? <Icon source={AlertCircleIcon} tone="critical" accessibilityLabel={stage.status} /> : null}
          </span>
          <Text as="span" fontWeight="semibold">{TITLES[stage.stage] ?? stage.stage}</Text>
          <Text as="span" tone="subdued">
            {stage.status === 'pending' ? 'pending' : `${stage.processed.toLocaleString('en')}${stage.total !== null ? ` of ${stage.total.toLocaleString('en')}` : ''} · page ${stage.pages}`}
            {stage.status === 'running' && stage.etaSeconds !== null ? ` · about ${stage.etaSeconds} s left` : ''}
          </Text>
        </InlineStack>
        {stage.status === 'running' && share !== null ? <ProgressBar progress={share} size="small" /> : null}
        {stage.error ? <Text as="p" tone="critical">{stage.error}</Text> : null}
      </BlockStack>
    </div>
  );
}

/** The backfill's stages, polled live; retry a failed stage; reconnect when the token is lost. */
export function Backfill() {
  const progress = useApi<BackfillProgress>('/api/backfill', 1000);
  const navigate = useNavigate();
  const [retrying, setRetrying] = useState(false);
  const [failure, setFailure] = useState<Error>();
  const p = progress.data;
  // Watched to the end here (seen unfinished, then done, however quickly a small history goes):
  // on to the one-shot summary of what the history showed. Opened after the end: stay.
  const sawUnfinished = useRef(false);
  useEffect(() => {
    if (p && p.status !== 'done') sawUnfinished.current = true;
    if (p?.status === 'done' && sawUnfinished.current) navigate('/insights');
  }, [p?.status, navigate]);
  const shop = currentShop();
  const retry = async () => {
    setRetrying(true);
    setFailure(undefined);
    try {
      await api('/api/backfill/retry', { method: 'POST' });
      progress.reload();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setRetrying(false);
    }
  };
  return (
    <Page title="History backfill" titleMetadata={p ? <Badge tone={p.status === 'done' ? 'success' : p.status === 'running' ? 'info' : p.status === 'not-started' ? undefined : 'critical'}>{p.status}</Badge> : undefined}>
      <BlockStack gap="400">
        <ErrorBanner error={progress.error} onRetry={progress.reload} title="Progress could not be loaded" />
        <ErrorBanner error={failure} title="Retry failed" />
        {p?.next === 'reconnect' ? (
          <Banner tone="critical" title="RefundSentry lost access to your store" action={{ content: 'Reconnect', url: shop ? `/auth?shop=${encodeURIComponent(shop)}` : '/auth', external: true }}>
            <p>The backfill is paused where it stopped. Reconnect the app and it resumes from there.</p>
          </Banner>
        ) : null}
        {p?.next === 'retry' ? (
          <Banner tone="warning" title="A stage failed" action={{ content: 'Retry', onAction: retry, loading: retrying }}>
            <p>The stage's error is shown below. Retrying resumes from the last page stored.</p>
          </Banner>
        ) : null}
        {p?.status === 'done' ? (
          <Banner tone="success" title="Your history is in" action={{ content: 'See what it shows', onAction: () => navigate('/insights') }} secondaryAction={{ content: 'Open the review queue', onAction: () => navigate('/') }}>
            <p>Every past order, return and refund of the window has been scored.</p>
          </Banner>
        ) : null}
        {p?.status === 'not-started' ? <Text as="p">No backfill has been started for this shop.</Text> : null}
        <Card>
          <BlockStack gap="300">
            {p?.window ? <Text as="p" tone="subdued">{`Window: ${p.window.from.slice(0, 10)} to ${p.window.to.slice(0, 10)}`}</Text> : null}
            {p?.stages.map((stage) => <StageRow key={stage.stage} stage={stage} />)}
            {p?.next === 'retry' ? <Button onClick={retry} loading={retrying}>Retry the failed stage</Button> : null}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
