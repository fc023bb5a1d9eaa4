import { Banner, BlockStack, Button, Card, InlineStack, Modal, Select, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { api, type Snooze, type SnoozeAdded, type SnoozeList, type SnoozeRequest } from '../api.ts';
import { ErrorBanner } from './ErrorBanner.tsx';
import { dateTime } from './format.ts';
import { useApi } from './useApi.ts';

/**
 * A customer's snoozes of signals, with a form to snooze one more (for `days`, with a reason).
 * A snoozed signal keeps its status in later decisions but scores 0 points until it expires.
 * `names` gives each signal id its title (the catalog's); the picker starts empty (no signal is
 * snoozed by default), the snooze is asked for confirmation, and can be undone at once.
 */
export function SnoozeCard({ customerId, signalIds, names = {}, onChange }: { customerId: string; signalIds: string[]; names?: Record<string, string>; onChange?: () => void }) {
  const snoozes = useApi<SnoozeList>(`/api/snoozes?customerId=${encodeURIComponent(customerId)}`);
  const [signalId, setSignalId] = useState('');
  const [days, setDays] = useState('30');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<Error>();
  const [done, setDone] = useState<{ message: string; undo?: Snooze }>();
  const nameOf = (id: string) => names[id] ?? id;
  const submit = async (call: () => Promise<unknown>, message: string | ((answer: unknown) => { message: string; undo?: Snooze })) => {
    setBusy(true);
    setFailure(undefined);
    setDone(undefined);
    try {
      const answer = await call();
      setDone(typeof message === 'string' ? { message } : message(answer));
      snoozes.reload();
      onChange?.();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };
  const end = (s: Snooze, message: string) => submit(() => api(`/api/snoozes/${s.id}`, { method: 'DELETE' }), message);
  const active = (snoozes.data?.snoozes ?? []).filter((s) => s.active);
  const validDays = /^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 365;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Snoozed signals</Text>
        <ErrorBanner error={snoozes.error} onRetry={snoozes.reload} title="Snoozes could not be loaded" />
        <ErrorBanner error={failure} title="That did not work" />
        {done ? (
          <Banner
            tone="success"
            title={done.message}
            onDismiss={() => setDone(undefined)}
            action={done.undo ? { content: 'Undo', loading: busy, onAction: () => void end(done.undo!, `Snooze of ${nameOf(done.undo!.signalId)} undone`) } : undefined}
          />
        ) : null}
        {active.length === 0 ? <Text as="p" tone="subdued">No signal is snoozed for this customer.</Text> : null}
        {active.map((s) => (
          <InlineStack key={s.id} align="space-between" blockAlign="center" gap="200">
            <BlockStack gap="050">
              <Text as="span" fontWeight="semibold">{nameOf(s.signalId)}</Text>
              <Text as="span" variant="bodySm" tone="subdued">{`until ${dateTime(s.expiresAt)} · ${s.createdBy}${s.reason ? ` · ${s.reason}` : ''}`}</Text>
            </BlockStack>
            <Button variant="plain" tone="critical" disabled={busy} onClick={() => void end(s, `Snooze of ${nameOf(s.signalId)} ended`)}>End</Button>
          </InlineStack>
        ))}
        {signalIds.length > 0 ? (
          <BlockStack gap="200">
            <Select label="Signal" placeholder="Choose a signal" options={signalIds.map((id) => ({ label: nameOf(id), value: id }))} value={signalId} onChange={setSignalId} />
            <InlineStack gap="200" wrap={false}>
              <div style={{ width: 90 }}><TextField label="Days" type="number" min={1} max={365} autoComplete="off" value={days} onChange={setDays} /></div>
              <div style={{ flex: 1 }}><TextField label="Reason" autoComplete="off" value={reason} onChange={setReason} placeholder="e.g. verified by phone" /></div>
            </InlineStack>
            <InlineStack>
              <Button loading={busy} disabled={!signalId || !validDays} onClick={() => setConfirming(true)}>Snooze for this customer…</Button>
            </InlineStack>
          </BlockStack>
        ) : null}
      </BlockStack>
      {confirming && signalId ? (
        <Modal
          open
          onClose={() => setConfirming(false)}
          title={`Snooze “${nameOf(signalId)}” for ${days} days?`}
          primaryAction={{
            content: 'Snooze',
            loading: busy,
            onAction: () => {
              setConfirming(false);
              void submit(
                () => api<SnoozeAdded>('/api/snoozes', { method: 'POST', body: { customerId, signalId, days: Number(days), ...(reason ? { reason } : {}) } satisfies SnoozeRequest }),
                (answer) => ({ message: `${nameOf(signalId)} snoozed for ${days} days`, undo: (answer as SnoozeAdded).snooze }),
              );
            },
          }}
          secondaryActions={[{ content: 'Cancel', onAction: () => setConfirming(false) }]}
        >
          <Modal.Section>
            <Text as="p">{`The signal keeps being evaluated for this customer, but scores 0 points in the decisions made for them over the next ${days} days (decisions already made keep their score). The snooze is recorded in the audit log under your name; you can end it at any time.`}</Text>
          </Modal.Section>
        </Modal>
      ) : null}
    </Card>
  );
}
