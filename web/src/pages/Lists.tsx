import { Badge, Banner, BlockStack, Button, Card, Checkbox, DataTable, FormLayout, InlineStack, Layout, Page, Select, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, type HoldoutData, type HoldoutSet, type ListEntryInput, type IdentifierKind, type ListEntries, type ListEntry, type SignalCatalog, type Snooze, type SnoozeList } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { count, dateTime, gidLabel, signalTitle } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';

const KINDS: { label: string; value: IdentifierKind }[] = [
  { label: 'Email', value: 'email' },
  { label: 'Phone', value: 'phone' },
  { label: 'IP address', value: 'ip' },
  { label: 'Postal address', value: 'address' },
  { label: 'Card (hash)', value: 'payment' },
  { label: 'Device (hash)', value: 'device' },
];
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** What one form submission sends: the raw value goes to the server, which keeps only its keyed hash. */
function entryBody(kind: IdentifierKind, value: string, address: Record<string, string>): Pick<ListEntryInput, 'value' | 'address' | 'hash'> {
  // The fields filled in (the server refuses an address without its first line and country).
  if (kind === 'address') return { address: Object.fromEntries(Object.entries(address).filter(([, v]) => v.trim() !== '')) as ListEntryInput['address'] };
  if (kind === 'payment' || kind === 'device') return { hash: value.trim().toLowerCase() };
  return { value };
}

/** Block and allow lists, the snoozes in force, and the holdout sample of HIGH decisions. */
export function Lists() {
  const navigate = useNavigate();
  const entries = useApi<ListEntries>('/api/lists');
  const snoozes = useApi<SnoozeList>('/api/snoozes?active=true');
  const holdout = useApi<HoldoutData>('/api/holdout');
  const catalog = useApi<SignalCatalog>('/api/signals');
  const [list, setList] = useState<'blocked' | 'allowed'>('blocked');
  const [kind, setKind] = useState<IdentifierKind>('email');
  const [value, setValue] = useState('');
  const [address, setAddress] = useState<Record<string, string>>({ address1: '', city: '', zip: '', provinceCode: '', countryCode: '' });
  const [note, setNote] = useState('');
  const [locked, setLocked] = useState(false);
  const [share, setShare] = useState('');
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<Error>();
  const [done, setDone] = useState<string>();
  useEffect(() => {
    if (holdout.data && share === '') setShare(String(holdout.data.percent));
  }, [holdout.data, share]);

  const run = async (what: string, call: () => Promise<unknown>, after: () => void) => {
    setBusy(what);
    setFailure(undefined);
    setDone(undefined);
    try {
      await call();
      setDone(what);
      after();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(undefined);
    }
  };
  const add = () =>
    run(
      list === 'blocked' ? 'Added to the blocklist' : 'Added to the allowlist',
      () => api('/api/lists', { method: 'POST', body: { list, kind, ...entryBody(kind, value, address), ...(note ? { note } : {}), ...(list === 'blocked' && locked ? { nonOverridable: true } : {}) } satisfies ListEntryInput }),
      () => {
        setValue('');
        setNote('');
        entries.reload();
      },
    );
  const remove = (e: ListEntry) => run('Entry removed', () => api(`/api/lists/${e.list}/${e.kind}/${e.hash}`, { method: 'DELETE' }), entries.reload);
  const setField = (field: string) => (v: string) => setAddress((a) => ({ ...a, [field]: v }));

  const rows = (entries.data?.entries ?? []).map((e) => [
    <Badge key="list" tone={e.list === 'blocked' ? 'critical' : 'success'}>{e.list === 'blocked' ? 'Blocked' : 'Allowed'}</Badge>,
    KINDS.find((k) => k.value === e.kind)?.label ?? e.kind,
    <Text key="hash" as="span" variant="bodySm"><code title={e.hash}>{`${e.hash.slice(0, 12)}…`}</code></Text>,
    e.nonOverridable ? <Badge key="locked" tone="warning">Non-overridable</Badge> : '',
    e.note ?? '',
    new Date(e.createdAt).toLocaleDateString('en', { dateStyle: 'medium' }),
    <Button key="remove" variant="plain" tone="critical" disabled={busy !== undefined} onClick={() => remove(e)}>Remove</Button>,
  ]);
  const groups = holdout.data?.report.groups ?? [];
  return (
    <Page title="Lists and overrides" subtitle="Block or trust buyers by email, phone, address, IP, card or device. Only keyed hashes are stored.">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={entries.error} onRetry={entries.reload} title="The lists could not be loaded" />
            <ErrorBanner error={failure} title="That did not work" />
            {done ? <Banner tone="success" title={done} onDismiss={() => setDone(undefined)} /> : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">Add an entry</Text>
                <Text as="p" tone="subdued">An allowlist match overrides a block, unless the block is non-overridable.</Text>
                <FormLayout>
                  <FormLayout.Group condensed>
                    <Select label="List" options={[{ label: 'Blocklist', value: 'blocked' }, { label: 'Allowlist', value: 'allowed' }]} value={list} onChange={(v) => setList(v as 'blocked' | 'allowed')} />
                    <Select label="Identifier" options={KINDS} value={kind} onChange={(v) => setKind(v as IdentifierKind)} />
                  </FormLayout.Group>
                  {kind === 'address' ? (
                    <FormLayout.Group condensed>
                      <TextField label="Street" autoComplete="off" value={address.address1!} onChange={setField('address1')} />
                      <TextField label="City" autoComplete="off" value={address.city!} onChange={setField('city')} />
                      <TextField label="Postcode" autoComplete="off" value={address.zip!} onChange={setField('zip')} />
                      <TextField label="Province" autoComplete="off" value={address.provinceCode!} onChange={setField('provinceCode')} />
                      <TextField label="Country" autoComplete="off" value={address.countryCode!} onChange={setField('countryCode')} placeholder="US" />
                    </FormLayout.Group>
                  ) : (
                    <TextField
                      label={kind === 'payment' || kind === 'device' ? 'Keyed hash (from a decision or a customer)' : 'Value'}
                      helpText={kind === 'payment' || kind === 'device' ? undefined : 'Hashed with your shop key at once; the raw value is not stored.'}
                      autoComplete="off"
                      value={value}
                      onChange={setValue}
                    />
                  )}
                  <TextField label="Note" autoComplete="off" value={note} onChange={setNote} />
                  {list === 'blocked' ? <Checkbox label="Non-overridable (an allowlist match does not lift this block)" checked={locked} onChange={setLocked} /> : null}
                  <Button variant="primary" loading={busy?.startsWith('Added')} onClick={add}>{list === 'blocked' ? 'Block' : 'Allow'}</Button>
                </FormLayout>
              </BlockStack>
            </Card>
            <Card padding="0">
              <div style={{ padding: 16 }}><Text as="h2" variant="headingMd">{`Entries (${rows.length})`}</Text></div>
              {!entries.data && entries.loading ? <div style={{ padding: 16 }}><SkeletonBodyText lines={4} /></div> : null}
              <div id="list-entries">
                <DataTable columnContentTypes={['text', 'text', 'text', 'text', 'text', 'text', 'text']} headings={['List', 'Kind', 'Hash', '', 'Note', 'Added', '']} rows={rows} />
              </div>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">Holdout sample</Text>
                <Text as="p" tone="subdued">
                  A share of HIGH decisions whose actions are not executed (chosen by a hash of the order, not by its score), so that later chargebacks and refunds show what the rules prevent.
                </Text>
                <ErrorBanner error={holdout.error} onRetry={holdout.reload} title="The holdout could not be loaded" />
                <InlineStack gap="200" blockAlign="end" wrap={false}>
                  <div style={{ width: 120 }}><TextField label="Share of HIGH (%)" type="number" min={0} max={20} autoComplete="off" value={share} onChange={setShare} /></div>
                  <Button loading={busy === 'Holdout saved'} onClick={() => run('Holdout saved', () => api('/api/holdout', { method: 'PUT', body: { percent: Number(share) } satisfies HoldoutSet }), holdout.reload)}>Save</Button>
                </InlineStack>
                <div id="holdout-report">
                  <DataTable
                    columnContentTypes={['text', 'numeric', 'numeric', 'numeric']}
                    headings={['HIGH', 'Decisions', 'Chargebacks', 'Refunds']}
                    rows={groups.map((g) => [g.group === 'holdout' ? 'Held out' : 'Acted on', g.decisions, percent(g.chargebackRate), percent(g.refundRate)])}
                  />
                </div>
                {holdout.data && holdout.data.report.notActedOn > 0 ? (
                  <Text as="p" variant="bodySm" tone="subdued">
                    {`${count(holdout.data.report.notActedOn, 'HIGH decision was', 'HIGH decisions were')} neither held out nor acted on (backfilled history, or no store connected) and ${holdout.data.report.notActedOn === 1 ? 'is' : 'are'} left out.`}
                  </Text>
                ) : null}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">Snoozes in force</Text>
                {(snoozes.data?.snoozes ?? []).length === 0 ? <Text as="p" tone="subdued">None. Snooze a signal for a customer from their profile or a decision.</Text> : null}
                {(snoozes.data?.snoozes ?? []).map((s) => (
                  <InlineStack key={s.id} align="space-between">
                    <Button variant="plain" onClick={() => navigate(`/customers/${encodeURIComponent(s.customerId)}`)}>{gidLabel(s.customerId)}</Button>
                    <Text as="span" variant="bodySm">{`${signalTitle(s.signalId, catalog.data?.signals)} until ${dateTime(s.expiresAt)}`}</Text>
                  </InlineStack>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
