import { Badge, Banner, BlockStack, Button, Card, Checkbox, DataTable, FormLayout, Layout, Page, Select, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { api, type AlertDelivery, type AlertDeliveryList, type AlertKind, type AlertRule, type AlertRuleCreated, type AlertRuleList, type AlertRuleUpdate, type NewAlertRule } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { dateTime, gidLabel } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';

const KINDS: { label: string; value: AlertKind }[] = [
  { label: 'A HIGH-risk order at or above a value', value: 'high-order-value' },
  { label: 'An order matching a known fraud ring', value: 'ring-alert' },
  { label: 'More than a number of chargebacks in 7 days', value: 'chargebacks-week' },
  { label: 'A SKU’s return rate doubled (last 30 days against the 90 before)', value: 'sku-return-rate' },
];

const STATUS_TONE: Record<AlertDelivery['status'], 'success' | 'critical' | 'attention' | 'info'> = { sent: 'success', failed: 'critical', retrying: 'attention', pending: 'info' };
/** 300 → "300", 404.95 → "404.95"; with a currency code: "$404.95". */
function money(amount: number, currency?: string): string {
  const digits = Number.isInteger(amount) ? 0 : 2;
  try {
    return new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: 2, ...(currency ? { style: 'currency', currency } : {}) }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${currency ?? ''}`.trim();
  }
}
const when = (iso: string) => new Date(iso).toLocaleString('en', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
const attempts = (n: number) => (n === 1 ? '1 attempt' : `${n} attempts`);
const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function ruleLabel(rule: Pick<AlertRule, 'kind' | 'minValue' | 'threshold'>): string {
  switch (rule.kind) {
    case 'high-order-value':
      return `HIGH-risk order of ${money(rule.minValue ?? 0)} or more`;
    case 'ring-alert':
      return 'Order matching a fraud ring';
    case 'chargebacks-week':
      return `More than ${plural(rule.threshold ?? 0, 'chargeback', 'chargebacks')} in 7 days`;
    case 'sku-return-rate':
      return `A SKU’s return rate doubled (${plural(rule.threshold ?? 0, 'unit', 'units')} or more returned in 30 days)`;
  }
}

function eventLabel(d: AlertDelivery): string {
  const facts = d.facts;
  if (facts.event === 'chargebacks-week') return `${plural(facts.count, 'chargeback', 'chargebacks')} in 7 days (more than ${facts.threshold})`;
  if (facts.event === 'sku-return-rate') {
    return `SKU ${facts.sku}${facts.title ? ` (${facts.title})` : ''}: ${percent(facts.recent.rate)} returned in 30 days (${facts.recent.returned} of ${facts.recent.sold}), ${percent(facts.baseline.rate)} in the 90 days before`;
  }
  const order = gidLabel(facts.orderId);
  if (facts.event === 'high-order-value') return `${order}: score ${facts.score}, total ${money(facts.total ?? 0, facts.currency)}`;
  const members = facts.ringMembers === 1 ? '1 member' : `${facts.ringMembers} members`;
  return `${order}: fraud ring of ${members}, ring score ${facts.ringScore}`;
}

/** Alert rules (a signed webhook per rule) and the delivery log. */
export function Alerts() {
  const rules = useApi<AlertRuleList>('/api/alerts');
  const log = useApi<AlertDeliveryList>('/api/alerts/deliveries?limit=50', 5_000);
  const [kind, setKind] = useState<AlertKind>('high-order-value');
  const [minValue, setMinValue] = useState('250');
  const [chargebacks, setChargebacks] = useState('5');
  const [minReturns, setMinReturns] = useState('5');
  const [toggling, setToggling] = useState<string>();
  const [destination, setDestination] = useState<'url' | 'email'>('url');
  const [url, setUrl] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error>();
  const [created, setCreated] = useState<AlertRuleCreated>();

  const add = async () => {
    setBusy(true);
    setFailure(undefined);
    setCreated(undefined);
    try {
      const threshold = kind === 'chargebacks-week' ? chargebacks : kind === 'sku-return-rate' ? minReturns : '';
      const body: NewAlertRule = {
        kind,
        ...(destination === 'url' ? { url: url.trim() } : { email: email.trim() }),
        ...(kind === 'high-order-value' ? { minValue: Number(minValue) } : {}),
        // An empty field is left out: the server names what is missing.
        ...(threshold.trim() !== '' ? { threshold: Number(threshold) } : {}),
      };
      setCreated(await api<AlertRuleCreated>('/api/alerts', { method: 'POST', body }));
      setUrl('');
      setEmail('');
      rules.reload();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };
  const toggle = async (rule: AlertRule, enabled: boolean) => {
    setFailure(undefined);
    setToggling(rule.id);
    try {
      await api<AlertRule>(`/api/alerts/${rule.id}`, { method: 'PATCH', body: { enabled } satisfies AlertRuleUpdate });
      rules.reload();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setToggling(undefined);
    }
  };
  const remove = async (rule: AlertRule) => {
    setFailure(undefined);
    try {
      await api(`/api/alerts/${rule.id}`, { method: 'DELETE' });
      rules.reload();
      log.reload();
    } catch (error) {
      setFailure(error as Error);
    }
  };

  const ruleOf = new Map((rules.data?.rules ?? []).map((r) => [r.id, r]));
  const ruleRows = (rules.data?.rules ?? []).map((r) => [
    <Text key="rule" as="span" {...(r.enabled ? {} : { tone: 'subdued' as const })}>{ruleLabel(r)}</Text>,
    <Text key="to" as="span" variant="bodySm" breakWord>{r.url !== null ? <code>{r.url}</code> : `Email to ${r.email}`}</Text>,
    dateTime(r.createdAt),
    <Checkbox key="enabled" label="Enabled" checked={r.enabled} disabled={toggling === r.id} onChange={(checked) => toggle(r, checked)} />,
    <Button key="remove" variant="plain" tone="critical" onClick={() => remove(r)}>Delete</Button>,
  ]);
  const logRows = (log.data?.deliveries ?? []).map((d) => [
    when(d.createdAt),
    <BlockStack key="event" gap="050">
      <Text as="span">{eventLabel(d)}</Text>
      <Text as="span" variant="bodySm" tone="subdued">{ruleOf.get(d.ruleId) ? ruleLabel(ruleOf.get(d.ruleId)!) : `Rule ${d.ruleId}`}</Text>
    </BlockStack>,
    <Badge key="status" tone={STATUS_TONE[d.status]}>{d.status[0]!.toUpperCase() + d.status.slice(1)}</Badge>,
    <BlockStack key="attempts" gap="050">
      <Text as="span">{`${attempts(d.attempts)}${d.responseStatus === null ? '' : `, HTTP ${d.responseStatus}`}`}</Text>
      {d.lastError ? <Text as="span" variant="bodySm" tone="subdued">{`Last error: ${d.lastError}`}</Text> : null}
    </BlockStack>,
  ]);
  return (
    <Page title="Alerts" subtitle="Post a signed message to a webhook (Slack-compatible), or send an email, when a rule matches.">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={rules.error} onRetry={rules.reload} title="The alert rules could not be loaded" />
            <ErrorBanner error={failure} title="That did not work" />
            {created ? (
              <Banner tone="success" title="Alert rule added" onDismiss={() => setCreated(undefined)}>
                <BlockStack gap="100">
                  <Text as="p">Each message carries the header X-RefundSentry-Signature: sha256=HMAC-SHA256 of the JSON body with this secret. Copy it now: it is not shown again.</Text>
                  <Text as="p" variant="bodySm" breakWord><code data-testid="alert-secret">{created.secret}</code></Text>
                </BlockStack>
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">Add a rule</Text>
                <FormLayout>
                  <Select label="Alert on" options={KINDS} value={kind} onChange={(v) => setKind(v as AlertKind)} />
                  {kind === 'high-order-value' ? <TextField label="Order total at least" type="number" min={0} autoComplete="off" value={minValue} onChange={setMinValue} helpText="In the order's currency." /> : null}
                  {kind === 'chargebacks-week' ? (
                    <TextField label="Alert above this many chargebacks" type="number" min={0} step={1} autoComplete="off" value={chargebacks} onChange={setChargebacks} helpText="Disputes opened in a rolling 7 days. It alerts once when the count goes above it, not for each chargeback after." />
                  ) : null}
                  {kind === 'sku-return-rate' ? (
                    <TextField
                      label="Units returned in 30 days, at least"
                      type="number"
                      min={1}
                      step={1}
                      autoComplete="off"
                      value={minReturns}
                      onChange={setMinReturns}
                      helpText="A SKU alerts once when its return rate over the last 30 days is at least twice its rate over the 90 days before, with this many units returned and 10 sold in each period."
                    />
                  ) : null}
                  <Select label="Send to" options={[{ label: 'A webhook (Slack-compatible JSON)', value: 'url' }, { label: 'An email address (the server’s SMTP server)', value: 'email' }]} value={destination} onChange={(v) => setDestination(v as 'url' | 'email')} />
                  {destination === 'url' ? (
                    <TextField label="Webhook URL" autoComplete="off" value={url} onChange={setUrl} placeholder="https://hooks.slack.com/services/…" />
                  ) : (
                    <TextField label="Email address" type="email" autoComplete="off" value={email} onChange={setEmail} placeholder="fraud-team@example.com" />
                  )}
                  <Button variant="primary" loading={busy} onClick={add}>Add rule</Button>
                </FormLayout>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">Rules</Text>
                {rules.loading && !rules.data ? <SkeletonBodyText /> : ruleRows.length === 0 ? <Text as="p" tone="subdued">No alert rules yet.</Text> : <DataTable columnContentTypes={['text', 'text', 'text', 'text', 'text']} headings={['Alerts on', 'Sends to', 'Added', 'On', '']} rows={ruleRows} />}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">Delivery log</Text>
                {log.loading && !log.data ? <SkeletonBodyText /> : logRows.length === 0 ? <Text as="p" tone="subdued">Nothing sent yet.</Text> : <DataTable columnContentTypes={['text', 'text', 'text', 'text']} headings={['When', 'Event', 'Status', 'Delivery']} rows={logRows} />}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
