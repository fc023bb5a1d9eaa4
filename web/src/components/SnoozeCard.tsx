import { Banner, BlockStack, Button, Card, InlineStack, Select, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { api, type Snooze, type SnoozeList, type SnoozeRequest } from '../api.ts';
import { ErrorBanner } from './ErrorBanner.tsx';
import { dateTime } from './format.ts';
import { useApi } from './useApi.ts';

/**
 * A customer's snoozes of signals, with a form to snooze one more (for `days`, with a reason).
 * A snoozed signal keeps its status in later decisions but scores 0 points until it expires.
 */
export function SnoozeCard({ customerId, signalIds, onChange }: { customerId: string; signalIds: string[]; onChange?: () => void }) {
  const snoozes = useApi<SnoozeList>(`/api/snoozes?customerId=${encodeURIComponent(customerId)}`);
  const [signalId, setSignalId] = useState('');
  const [days, setDays] = useState('30');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error>();
  const [done, setDone] = useState<string>();
  const chosen = signalId || signalIds[0] || '';
  const submit = async (call: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setFailure(undefined);
    setDone(undefined);
    try {
      await call();
      setDone(message);
      snoozes.reload();
      onChange?.();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };
  const active = (snoozes.data?.snoozes ?? []).filter((s) => s.active);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Snoozed signals</Text>
        <ErrorBanner error={snoozes.error} onRetry={snoozes.reload} title="Snoozes could not be loaded" />
        <ErrorBanner error={failure} title="That did not work" />
        {done ? <Banner tone="success" title={done} onDismiss={() => setDone(undefined)} /> : null}
        {active.length === 0 ? <Text as="p" tone="subdued">No signal is snoozed for this customer.</Text> : null}
        {active.map((s) => (
          <InlineStack key={s.id} align="space-between" blockAlign="center" gap="200">
            <BlockStack gap="050">
              <Text as="span" fontWeight="semibold">{s.signalId}</Text>
              <Text as="span" variant="bodySm" tone="subdued">{`until ${dateTime(s.expiresAt)} · ${s.createdBy}${s.reason ? ` · ${s.reason}` : ''}`}</Text>
            </BlockStack>
            <Button variant="plain" tone="critical" disabled={busy} onClick={() => submit(() => api(`/api/snoozes/${s.id}`, { method: 'DELETE' }), `Snooze of ${s.signalId} ended`)}>End</Button>
          </InlineStack>
        ))}
        {signalIds.length > 0 ? (
          <BlockStack gap="200">
            <Select label="Signal" options={signalIds.map((id) => ({ label: id, value: id }))} value={chosen} onChange={setSignalId} />
            <InlineStack gap="200" wrap={false}>
              <div style={{ width: 90 }}><TextField label="Days" type="number" min={1} max={365} autoComplete="off" value={days} onChange={setDays} /></div>
              <div style={{ flex: 1 }}><TextField label="Reason" autoComplete="off" value={reason} onChange={setReason} placeholder="e.g. verified by phone" /></div>
            </InlineStack>
            <Button
              loading={busy}
              onClick={() => submit(() => api('/api/snoozes', { method: 'POST', body: { customerId, signalId: chosen, days: Number(days), ...(reason ? { reason } : {}) } satisfies SnoozeRequest }), `${chosen} snoozed for ${days} days`)}
            >
              Snooze for this customer
            </Button>
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
