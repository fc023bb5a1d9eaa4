import { Banner, BlockStack, Button, Card, Checkbox, Divider, InlineStack, Layout, Page, Select, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, saveDraft, type BackfillProgress, type CatalogSignal, type ExtendRequest, type RulesetList, type RulesetWithBody, type SignalCatalog } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { count, signalTitle } from '../components/format.ts';
import { PluginsCard } from '../components/PluginHealth.tsx';
import { useApi } from '../components/useApi.ts';

/** A version's body, as Settings edits it (zones, signal weights and switches). */
type RulesetBody = RulesetWithBody['body'];

/** The catalog's categories in the order a merchant reads them, each with its heading and what it covers. */
const CATEGORIES: { id: string; title: string; about: string }[] = [
  { id: 'order', title: 'The order', about: 'What the order itself shows: payment, addresses, items, discounts, lists.' },
  { id: 'customer', title: 'The customer', about: 'Who is buying: account age, history with the shop, outcomes, rings.' },
  { id: 'velocity', title: 'Velocity', about: 'How fast things happen: orders, returns and refunds over time.' },
  { id: 'pattern', title: 'Return patterns', about: 'What returns and refunds look like: wardrobing, bracketing, empty boxes, reasons.' },
];

/** The signals of the body by category (the catalog's; unknown ids under "Other"), each matching the search in its title, description or id. */
function groupSignals(ids: readonly string[], catalog: readonly CatalogSignal[], search: string): { id: string; title: string; about: string; signals: { id: string; title: string; description: string | null; defaultWeight: number | null }[] }[] {
  const byId = new Map(catalog.map((s) => [s.id, s]));
  const needle = search.trim().toLowerCase();
  const signals = ids
    .map((id) => {
      const meta = byId.get(id);
      return { id, title: signalTitle(id, catalog), description: meta?.description ?? null, defaultWeight: meta?.defaultWeight ?? null, category: meta?.category ?? 'other' };
    })
    .filter((s) => !needle || `${s.title}\n${s.description ?? ''}\n${s.id}`.toLowerCase().includes(needle))
    .sort((a, b) => a.title.localeCompare(b.title));
  const known = new Set(CATEGORIES.map((c) => c.id));
  const extra = [...new Set(signals.map((s) => s.category).filter((c) => !known.has(c)))].sort();
  return [...CATEGORIES, ...extra.map((c) => ({ id: c, title: c === 'other' ? 'Other' : c[0]!.toUpperCase() + c.slice(1), about: c === 'other' ? 'Signals the catalog does not describe (a plugin not loaded, or a signal no longer shipped).' : '' }))]
    .map((c) => ({ ...c, signals: signals.filter((s) => s.category === c.id) }))
    .filter((c) => c.signals.length > 0);
}

/** Zone thresholds, signal weights and switches (saved as a new ruleset draft), and the backfill window. */
export function Settings() {
  const navigate = useNavigate();
  const versions = useApi<RulesetList>('/api/rulesets');
  const published = versions.data?.versions.find((v) => v.status === 'published');
  const current = useApi<RulesetWithBody>(published ? `/api/rulesets/${published.version}` : null);
  const backfill = useApi<BackfillProgress>('/api/backfill');
  const catalog = useApi<SignalCatalog>('/api/signals');
  const [draft, setDraft] = useState<RulesetBody>();
  /** The body as last loaded or saved: Save is off until the draft differs from it (no version without a change). */
  const [baseline, setBaseline] = useState<string>();
  const [search, setSearch] = useState('');
  const [saved, setSaved] = useState<string>();
  const [failure, setFailure] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [days, setDays] = useState('365');

  useEffect(() => {
    if (current.data?.body) {
      setDraft(structuredClone(current.data.body));
      setBaseline(JSON.stringify(current.data.body));
    }
  }, [current.data]);
  const changes = useMemo(() => (draft && baseline ? changedParts(JSON.parse(baseline) as RulesetBody, draft) : 0), [draft, baseline]);

  const save = async () => {
    if (!draft || !versions.data) return;
    setBusy(true);
    setFailure(undefined);
    setSaved(undefined);
    try {
      // The editor's rule: the draft starts from the newest version this page loaded (a newer draft is no conflict; one saved since is).
      const row = await saveDraft(draft, versions.data.versions);
      setBaseline(JSON.stringify(draft));
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
  const ids = draft ? Object.keys(draft.signals) : [];
  const groups = groupSignals(ids, catalog.data?.signals ?? [], search);
  const shown = groups.reduce((n, g) => n + g.signals.length, 0);
  const windowDays = backfill.data?.window ? Math.round((Date.parse(backfill.data.window.to) - Date.parse(backfill.data.window.from)) / 86_400_000) : null;

  return (
    <Page
      title="Settings"
      subtitle={draft ? (changes === 0 ? 'No changes to save' : `${count(changes, 'change')} not saved yet`) : undefined}
      primaryAction={{ content: 'Save as draft', onAction: save, loading: busy, disabled: !draft || changes === 0, helpText: changes === 0 ? 'Change a zone, a weight or a switch first' : undefined }}
    >
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
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">{`Signals (${ids.length})`}</Text>
                  <Text as="p" tone="subdued">Each signal adds its weight in points to a score when it fires (a negative weight lowers it). Switch one off to stop it scoring.</Text>
                  <TextField
                    label="Search signals"
                    labelHidden
                    placeholder="Search by name or description"
                    value={search}
                    onChange={setSearch}
                    clearButton
                    onClearButtonClick={() => setSearch('')}
                    autoComplete="off"
                    helpText={search ? `${count(shown, 'signal')} of ${ids.length} match` : undefined}
                  />
                </BlockStack>
              </Card>
            ) : null}
            {draft && groups.length === 0 ? (
              <Card><Text as="p" tone="subdued">{`No signal matches “${search}”.`}</Text></Card>
            ) : null}
            {draft
              ? groups.map((group) => (
                  <Card key={group.id}>
                    <section data-category={group.id} aria-label={group.title}>
                      <BlockStack gap="300">
                        <BlockStack gap="050">
                          <Text as="h3" variant="headingSm">{`${group.title} (${group.signals.length})`}</Text>
                          {group.about ? <Text as="p" tone="subdued" variant="bodySm">{group.about}</Text> : null}
                        </BlockStack>
                        {group.signals.map((s, index) => (
                          <BlockStack key={s.id} gap="300">
                            {index > 0 ? <Divider /> : null}
                            <div data-signal={s.id} style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 'var(--p-space-300) var(--p-space-400)' }}>
                              <div style={{ flex: '1 1 280px', minWidth: 0 }}>
                                <BlockStack gap="050">
                                  <Text as="span" fontWeight="semibold">{s.title}</Text>
                                  {s.description ? <Text as="p" tone="subdued" variant="bodySm">{s.description}</Text> : null}
                                </BlockStack>
                              </div>
                              <InlineStack gap="300" blockAlign="center" wrap={false}>
                                <Checkbox label={<>On<Text as="span" visuallyHidden>{`: run ${s.title}`}</Text></>} checked={draft.signals[s.id].enabled !== false} onChange={(on) => setSignal(s.id, { enabled: on })} />
                                <div style={{ width: 116 }}>
                                  <TextField
                                    label={`Weight of ${s.title}`}
                                    labelHidden
                                    suffix="pts"
                                    type="number"
                                    min={-100}
                                    max={100}
                                    value={String(draft.signals[s.id].weight ?? '')}
                                    placeholder={s.defaultWeight === null ? undefined : String(s.defaultWeight)}
                                    onChange={(v) => setSignal(s.id, { weight: v === '' ? undefined : Number(v) })}
                                    autoComplete="off"
                                  />
                                </div>
                              </InlineStack>
                            </div>
                          </BlockStack>
                        ))}
                      </BlockStack>
                    </section>
                  </Card>
                ))
              : null}
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

/** How many zones and signal settings differ between two bodies (0: nothing to save). */
function changedParts(before: RulesetBody, after: RulesetBody): number {
  let n = 0;
  if (before.zones.medium !== after.zones.medium) n++;
  if (before.zones.high !== after.zones.high) n++;
  const ids = new Set([...Object.keys(before.signals), ...Object.keys(after.signals)]);
  for (const id of ids) {
    const a = before.signals[id] ?? {};
    const b = after.signals[id] ?? {};
    if ((a.enabled !== false) !== (b.enabled !== false)) n++;
    if (a.weight !== b.weight) n++;
  }
  return n;
}
