import { Banner, BlockStack, Button, Card, Checkbox, DataTable, InlineStack, Layout, Page, Select, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, saveDraft, type BackfillProgress, type ExtendRequest, type RulesetList, type RulesetWithBody } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { PluginsCard } from '../components/PluginHealth.tsx';
import { useApi } from '../components/useApi.ts';

/** A version's body, as Settings edits it (zones, signal weights and switches). */
type RulesetBody = RulesetWithBody['body'];

/** Zone thresholds, signal weights and switches (saved as a new ruleset draft), and the backfill window. */
export function Settings() {
  const navigate = useNavigate();
  const versions = useApi<RulesetList>('/api/rulesets');
  const published = versions.data?.versions.find((v) => v.status === 'published');
  const current = useApi<RulesetWithBody>(published ? `/api/rulesets/${published.version}` : null);
  const backfill = useApi<BackfillProgress>('/api/backfill');
  const [draft, setDraft] = useState<RulesetBody>();
  const [saved, setSaved] = useState<string>();
  const [failure, setFailure] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [days, setDays] = useState('365');

  useEffect(() => {
    if (current.data?.body) setDraft(structuredClone(current.data.body));
  }, [current.data]);

  const save = async () => {
    if (!draft || !versions.data) return;
    setBusy(true);
    setFailure(undefined);
    setSaved(undefined);
    try {
      // The editor's rule: the draft starts from the newest version this page loaded (a newer draft is no conflict; one saved since is).
      const row = await saveDraft(draft, versions.data.versions);
      setSaved(`Saved as draft version ${row.version}. Publish it from the rule editor to make it score.`);
      versions.reload();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };
  const extend = async () => {
    setFailure(undefined);
    setSaved(undefined);
    try {
      await api('/api/backfill/extend', { method: 'POST', body: { days: Number(days) } satisfies ExtendRequest });
      navigate('/backfill');
    } catch (error) {
      setFailure(error as Error);
    }
  };
  const setSignal = (id: string, change: { weight?: number; enabled?: boolean }) =>
    setDraft((d) => (d ? { ...d, signals: { ...d.signals, [id]: { ...d.signals[id], ...change } } } : d));
  const ids = draft ? Object.keys(draft.signals).sort() : [];
  const windowDays = backfill.data?.window ? Math.round((Date.parse(backfill.data.window.to) - Date.parse(backfill.data.window.from)) / 86_400_000) : null;

  return (
    <Page title="Settings" primaryAction={{ content: 'Save as draft', onAction: save, loading: busy, disabled: !draft }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={versions.error ?? current.error ?? failure} title="Settings" />
            {saved ? <Banner tone="success" title={saved} onDismiss={() => setSaved(undefined)} /> : null}
            {!draft ? <Card><SkeletonBodyText lines={10} /></Card> : null}
            {draft ? (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">Zones</Text>
                  <InlineStack gap="400">
                    <TextField label="Medium from score" type="number" min={1} max={100} value={String(draft.zones.medium)} onChange={(v) => setDraft({ ...draft, zones: { ...draft.zones, medium: Number(v) } })} autoComplete="off" />
                    <TextField label="High from score" type="number" min={1} max={100} value={String(draft.zones.high)} onChange={(v) => setDraft({ ...draft, zones: { ...draft.zones, high: Number(v) } })} autoComplete="off" />
                  </InlineStack>
                </BlockStack>
              </Card>
            ) : null}
            {draft ? (
              <Card padding="0">
                <div style={{ padding: 16 }}><Text as="h2" variant="headingMd">{`Signals (${ids.length})`}</Text></div>
                <DataTable
                  columnContentTypes={['text', 'text', 'numeric']}
                  headings={['Signal', 'On', 'Weight']}
                  rows={ids.map((id) => [
                    id,
                    <Checkbox key="on" label={`Run ${id}`} labelHidden checked={draft.signals[id].enabled !== false} onChange={(on) => setSignal(id, { enabled: on })} />,
                    <div key="w" style={{ width: 90 }}>
                      <TextField label={`Weight of ${id}`} labelHidden type="number" min={-100} max={100} value={String(draft.signals[id].weight ?? '')} onChange={(v) => setSignal(id, { weight: Number(v) })} autoComplete="off" />
                    </div>,
                  ])}
                />
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">History window</Text>
              <Text as="p">{windowDays === null ? 'No backfill yet.' : `The backfill covers the last ${windowDays} days.`}</Text>
              <Select label="Extend to" options={[{ label: '90 days', value: '90' }, { label: '6 months', value: '182' }, { label: '12 months', value: '365' }]} value={days} onChange={setDays} />
              <Button onClick={extend} disabled={!backfill.data || backfill.data.status !== 'done'}>Extend the backfill</Button>
              <Text as="p" tone="subdued">Only the gap is fetched and scored. Beyond 60 days Shopify needs the read_all_orders scope.</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <PluginsCard />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
