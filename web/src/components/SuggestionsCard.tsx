import { BlockStack, Button, Card, Checkbox, DataTable, InlineStack, SkeletonBodyText, Text } from '@shopify/polaris';
import { useMemo, useState } from 'react';
import { api, type AcceptedSuggestions, type AcceptSuggestionsRequest, type LabelsBehind, type Proposal, type ProposalList, type ProposalPreview, type SignalCatalog } from '../api.ts';
import { ErrorBanner } from './ErrorBanner.tsx';
import { useApi } from './useApi.ts';

/** Proposals shown before "Show all". */
const FIRST = 5;

const count = (n: number) => n.toLocaleString('en');
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
/** Weights are points: whole numbers as they are, fractions to one decimal, a true minus sign. */
const points = (w: number) => `${w < 0 ? '−' : ''}${Number.isInteger(w) ? Math.abs(w) : Math.abs(w).toFixed(1)}`;
/** A change: "+3", "−34", "0". */
const delta = (before: number, after: number) => (after > before ? `+${count(after - before)}` : after < before ? `−${count(before - after)}` : '0');
const days = (p: ProposalPreview) => Math.round((Date.parse(p.window.to) - Date.parse(p.window.from)) / 86_400_000);

const FRAUD_WORDS: Record<string, [string, string]> = {
  'fraud-chargeback': ['fraud chargeback', 'fraud chargebacks'],
  'double-dip': ['double dip (return and chargeback)', 'double dips (return and chargeback)'],
  merchant: ['labelled fraud by you', 'labelled fraud by you'],
  aging: ['matured without a dispute', 'matured without a dispute'],
};
const LEGIT_WORDS: Record<string, [string, string]> = {
  ...FRAUD_WORDS,
  merchant: ['labelled legit by you', 'labelled legit by you'],
};

/** The labels behind a proposal in words: "fraud: 5 fraud chargebacks, 1 labelled fraud by you · legit: 7 matured without a dispute". */
export function behindInWords(behind: LabelsBehind): string {
  const side = (counts: LabelsBehind['fraud'], words: Record<string, [string, string]>) =>
    Object.entries(counts)
      .filter(([, n]) => (n ?? 0) > 0)
      .sort(([, a], [, b]) => b! - a!)
      .map(([source, n]) => `${count(n!)} ${(words[source] ?? [source, source])[n === 1 ? 0 : 1]}`)
      .join(', ');
  const fraud = side(behind.fraud, FRAUD_WORDS);
  const legit = side(behind.legit, LEGIT_WORDS);
  return `Labels behind it — fraud: ${fraud || 'none'} · legit: ${legit || 'none'}.`;
}

/** The zones that move, "HIGH 12 → 15, MEDIUM 40 → 37", or that none does. */
function zonesInWords(p: ProposalPreview): string {
  const moved = (['high', 'medium', 'low'] as const).filter((z) => p.window.before[z] !== p.window.after[z]).map((z) => `${z.toUpperCase()} ${count(p.window.before[z])} → ${count(p.window.after[z])}`);
  return moved.length > 0 ? moved.join(', ') : 'no zone count moves';
}

/** A preview in one sentence: "over the last 90 days: HIGH 12 → 15 (3 of 400 decisions change zone); among labelled: fraud caught at HIGH 8 → 11, false alarms 1 → 1." */
export function previewInWords(p: ProposalPreview): string {
  const { high } = p.labelled;
  return (
    `over the last ${plural(days(p), 'day')}: ${zonesInWords(p)} (${count(p.window.changed)} of ${plural(p.window.subjects, 'decision')} ${p.window.changed === 1 ? 'changes' : 'change'} zone); ` +
    `among labelled: fraud caught at HIGH ${count(high.caught.before)} → ${count(high.caught.after)}, false alarms ${count(high.falseAlarms.before)} → ${count(high.falseAlarms.after)}.`
  );
}

/** A preview as a table: now and after, for the window's zones and the labelled subjects. */
function PreviewTable({ preview }: { preview: ProposalPreview }) {
  const { window: w, labelled: l } = preview;
  const row = (label: string, before: number, after: number) => [label, count(before), count(after), delta(before, after)];
  return (
    <BlockStack gap="100">
      <DataTable
        increasedTableDensity
        columnContentTypes={['text', 'numeric', 'numeric', 'numeric']}
        headings={['', 'Now', 'After', 'Change']}
        rows={[
          row('HIGH', w.before.high, w.after.high),
          row('MEDIUM', w.before.medium, w.after.medium),
          row('LOW', w.before.low, w.after.low),
          row('Fraud caught at HIGH', l.high.caught.before, l.high.caught.after),
          row('False alarms at HIGH', l.high.falseAlarms.before, l.high.falseAlarms.after),
          row('Fraud caught at MEDIUM+', l.mediumPlus.caught.before, l.mediumPlus.caught.after),
          row('False alarms at MEDIUM+', l.mediumPlus.falseAlarms.before, l.mediumPlus.falseAlarms.after),
        ]}
      />
      <Text as="p" variant="bodySm" tone="subdued">
        {`Zones: the ${plural(w.subjects, 'decision')} of the last ${plural(days(preview), 'day')}, re-weighed from their stored signal results (${count(w.changed)} change zone). Caught and false alarms: among the ${plural(l.fraud + l.legit, 'labelled subject')} (${count(l.fraud)} fraud, ${count(l.legit)} legit).`}
      </Text>
    </BlockStack>
  );
}

/**
 * Learned weight suggestions as explained proposals (`GET /api/suggestions`): per proposal the
 * signal, its weight now and proposed, the evidence and the labels behind it in words, and what
 * accepting it alone changes; what accepting the chosen ones changes (the server previews each
 * proposal alone and all of them together, so a choice of some is said so, not guessed); "Make a
 * draft" saves the chosen ones as a draft version in one call (`POST /api/suggestions/accept`).
 */
export function SuggestionsCard({ onDraft }: { onDraft(version: number, message: string): void }) {
  const list = useApi<ProposalList>('/api/suggestions');
  const catalog = useApi<SignalCatalog>('/api/signals');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error>();
  const titles = useMemo(() => new Map(catalog.data?.signals.map((s) => [s.id, s.title]) ?? []), [catalog.data]);
  const data = list.data;
  const proposals = data?.suggestions ?? [];
  const picked = proposals.filter((p) => chosen.has(p.signalId));
  const title = (p: Proposal) => titles.get(p.signalId) ?? p.signalId;

  const toggle = (id: string, on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const makeDraft = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const answer = await api<AcceptedSuggestions>('/api/suggestions/accept', { method: 'POST', body: { signalIds: picked.map((p) => p.signalId) } satisfies AcceptSuggestionsRequest });
      const n = answer.accepted.length;
      const preview = answer.note?.kind === 'suggestions' ? answer.note.preview : undefined;
      setChosen(new Set());
      onDraft(
        answer.version,
        `Saved the ${n === 1 ? 'accepted suggestion' : `${n} accepted suggestions`} as draft version ${answer.version}: simulate it before publishing.` +
          (preview ? ` Over the last ${plural(days(preview), 'day')}: ${zonesInWords(preview)}; ${plural(preview.window.changed, 'decision')} ${preview.window.changed === 1 ? 'changes' : 'change'} zone.` : ''),
      );
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };

  let together: { heading: string; words?: string; preview: ProposalPreview | null };
  if (picked.length === 0) together = { heading: proposals.length === 1 ? 'If you accept it' : `If you accept all ${proposals.length} together`, preview: data?.preview ?? null };
  else if (picked.length === proposals.length) together = { heading: proposals.length === 1 ? `Accepting ${title(picked[0]!)}` : `Accepting all ${proposals.length} together`, preview: data?.preview ?? null };
  else if (picked.length === 1) together = { heading: `Accepting ${title(picked[0]!)} alone`, preview: picked[0]!.preview };
  else
    together = {
      heading: `For comparison: all ${proposals.length} together`,
      words: `Your ${picked.length} chosen together are not previewed here: the server previews each proposal alone (under each one above) and all ${proposals.length} together (below), and effects do not simply add up. The draft is made with exactly your ${picked.length}; the message then gives their effect, and a simulation the full replay.`,
      preview: data?.preview ?? null,
    };

  return (
    <div data-testid="suggestions-card">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">Suggested weights</Text>
          <ErrorBanner error={list.error} onRetry={list.reload} title="The suggestions could not be loaded" />
          {!data && list.loading ? <SkeletonBodyText lines={4} /> : null}
          {data ? (
            <Text as="p" tone="subdued">{`Learned from ${plural(data.labelled, 'labelled outcome')} (${count(data.fraud)} fraud) under live version ${data.version}. Never applied by themselves: accepting makes a draft.`}</Text>
          ) : null}
          {data?.note ? <Text as="p">{`${data.note[0]!.toUpperCase()}${data.note.slice(1)}.`}</Text> : null}
          {data && proposals.length === 0 && !data.note ? <Text as="p">The live weights fit the outcomes: nothing to suggest.</Text> : null}
          {proposals.length > 0 ? (
            <div data-testid="suggestions">
              <BlockStack gap="400">
                {(showAll ? proposals : proposals.slice(0, FIRST)).map((p) => (
                  <div key={p.signalId} data-signal={p.signalId}>
                    <Checkbox
                      label={
                        <Text as="span" fontWeight="semibold">{`${title(p)}: ${points(p.currentWeight)} → ${points(p.suggestedWeight)} points`}</Text>
                      }
                      checked={chosen.has(p.signalId)}
                      onChange={(on) => toggle(p.signalId, on)}
                      helpText={
                        <BlockStack gap="100">
                          {titles.has(p.signalId) ? <Text as="span" variant="bodySm" tone="subdued">{p.signalId}</Text> : null}
                          <Text as="span" variant="bodySm" tone="base">{p.evidence}</Text>
                          <Text as="span" variant="bodySm">{behindInWords(p.behind)}</Text>
                          <Text as="span" variant="bodySm" tone="subdued">
                            <span data-testid="proposal-preview">{`If accepted alone, ${previewInWords(p.preview)}`}</span>
                          </Text>
                        </BlockStack>
                      }
                    />
                  </div>
                ))}
              </BlockStack>
            </div>
          ) : null}
          {proposals.length > FIRST ? (
            <InlineStack>
              <Button variant="plain" onClick={() => setShowAll((v) => !v)}>{showAll ? `Show the first ${FIRST}` : `Show all ${proposals.length}`}</Button>
            </InlineStack>
          ) : null}
          {proposals.length > 1 ? (
            <InlineStack gap="200">
              <Button size="slim" disabled={picked.length === proposals.length} onClick={() => setChosen(new Set(proposals.map((p) => p.signalId)))}>{`Choose all ${proposals.length}`}</Button>
              <Button size="slim" disabled={picked.length === 0} onClick={() => setChosen(new Set())}>Clear</Button>
            </InlineStack>
          ) : null}
          {together.preview ? (
            <div data-testid="suggestions-preview">
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">{together.heading}</Text>
                {together.words ? <Text as="p" variant="bodySm">{together.words}</Text> : null}
                <PreviewTable preview={together.preview} />
              </BlockStack>
            </div>
          ) : null}
          <ErrorBanner error={failure} title="The draft was not made" />
          {proposals.length > 0 ? (
            <InlineStack>
              <Button variant="primary" disabled={picked.length === 0} loading={busy} onClick={() => void makeDraft()}>{`Make a draft with ${picked.length} accepted`}</Button>
            </InlineStack>
          ) : null}
        </BlockStack>
      </Card>
    </div>
  );
}
