import { Badge, Banner, BlockStack, Card, DataTable, InlineStack, List, Text } from '@shopify/polaris';
import type { PluginsAnswer } from '../api.ts';
import { useApi } from './useApi.ts';

const POLL_MS = 30_000;

/** Shown on every page while a configured plugin is not loaded or a plugin signal keeps failing. */
export function PluginBanner() {
  const { data } = useApi<PluginsAnswer>('/api/plugins', POLL_MS);
  if (!data || (data.problems.notLoaded === 0 && data.problems.failingSignals.length === 0)) return null;
  const failed = data.plugins.filter((p) => p.status === 'failed');
  const failing = data.plugins.flatMap((p) => p.signals.filter((s) => s.failures > 0 || s.suspendedUntil));
  const title = [
    failed.length ? `${failed.length} signal plugin${failed.length === 1 ? '' : 's'} not loaded` : '',
    failing.length ? `${failing.length} plugin signal${failing.length === 1 ? '' : 's'} failing` : '',
  ].filter(Boolean).join(' · ');
  return (
    <div style={{ maxWidth: '62.375rem', margin: '0 auto', padding: '1.5rem 1.5rem 0' }}>
      <Banner tone={failed.length || failing.some((s) => s.suspendedUntil) ? 'critical' : 'warning'} title={title} action={{ content: 'Plugin details', url: '/settings#plugins' }}>
        <List>
          {failed.map((p) => <List.Item key={p.spec}>{p.error}</List.Item>)}
          {failing.map((s) => (
            <List.Item key={s.id}>
              {`${s.id}: ${s.failures} of ${s.calls} calls failed${s.suspendedUntil ? `, suspended until ${new Date(s.suspendedUntil).toLocaleTimeString()}` : ''}${s.lastFailure ? ` (last: ${s.lastFailure.message})` : ''}. Its decisions score without it.`}
            </List.Item>
          ))}
        </List>
      </Banner>
    </div>
  );
}

/** Settings: every configured plugin, its signals and how they behave. */
export function PluginsCard() {
  const { data } = useApi<PluginsAnswer>('/api/plugins', POLL_MS);
  return (
    <div id="plugins">
      <Card padding="0">
        <div style={{ padding: 16 }}>
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">Signal plugins</Text>
            <Text as="p" tone="subdued">Configured with PLUGINS on the server; each runs in its own worker with a time budget per call and a memory limit.</Text>
          </BlockStack>
        </div>
        {data && data.plugins.length === 0 ? <div style={{ padding: '0 16px 16px' }}><Text as="p">No plugins configured.</Text></div> : null}
        {data?.plugins.map((p) => (
          <div key={p.spec} style={{ borderTop: '1px solid var(--p-color-border-secondary)', padding: 16 }}>
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h3" variant="headingSm">{p.name ? `${p.name}${p.version ? `@${p.version}` : ''}` : p.spec}</Text>
                <Badge tone={p.status === 'loaded' ? 'success' : 'critical'}>{p.status === 'loaded' ? 'Loaded' : 'Not loaded'}</Badge>
                {p.restarts ? <Badge tone="attention">{`${p.restarts} restart${p.restarts === 1 ? '' : 's'}`}</Badge> : null}
              </InlineStack>
              {p.error ? <Text as="p" tone="critical">{p.error}</Text> : null}
              {p.lastExit ? <Text as="p" tone="subdued">{`Last worker stop: ${p.lastExit}`}</Text> : null}
              {p.signals.length ? (
                <DataTable
                  columnContentTypes={['text', 'numeric', 'numeric', 'text']}
                  headings={['Signal', 'Calls', 'Failures', 'Last failure']}
                  rows={p.signals.map((s) => [s.id, s.calls, s.failures, s.suspendedUntil ? `suspended until ${new Date(s.suspendedUntil).toLocaleTimeString()}: ${s.lastFailure?.message ?? ''}` : s.lastFailure?.message ?? '—'])}
                />
              ) : null}
            </BlockStack>
          </div>
        ))}
      </Card>
    </div>
  );
}
