import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, ProgressBar, Select, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { api, ApiError, type Fit, type FitList, type FitRequest, type FitReport, type Kind as SubjectKind, type KindFit, type LabelCounts, type RefusedKind, type RulesetWithBody, type SignalCatalog, type StrengthCurve, type VersionMetrics } from '../api.ts';
import { CalibrationTable } from './CalibrationTable.tsx';
import { dateTime } from './format.ts';
import { useApi } from './useApi.ts';

/** A version's body (`GET /api/rulesets/{version}`): the live one the fitted draft is compared with. */
type RulesetBody = RulesetWithBody['body'];

const KINDS: SubjectKind[] = ['order', 'return', 'refund'];
const PLURAL: Record<SubjectKind, string> = { order: 'orders', return: 'returns', refund: 'refunds' };
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const money = (v: number) => v.toLocaleString('en', { maximumFractionDigits: 0 });
const num = (v: number) => v.toLocaleString('en', { maximumFractionDigits: 2 });
const isFit = (k: KindFit | RefusedKind): k is KindFit => !('refused' in k);

/** A curve in words: "counts 0 below 0.25, full from 0.75" style, from its points. */
function curveWords(curve: StrengthCurve | undefined): string {
  if (!curve || curve.length === 0) return 'straight';
  return curve.map(([x, y]) => `${x.toFixed(2)}→${y.toFixed(2)}`).join(', ');
}

/** The held-out metrics of the live and the fitted version, side by side. */
function MetricsTable({ live, fitted }: { live: VersionMetrics; fitted: VersionMetrics }) {
  const row = (label: string, f: (m: VersionMetrics) => string) => [label, f(live), f(fitted)];
  return (
    <DataTable
      columnContentTypes={['text', 'numeric', 'numeric']}
      headings={['Held-out part (never seen by the fit)', 'Live', 'Fitted']}
      rows={[
        row('ROC AUC', (m) => (m.auc === null ? '—' : m.auc.toFixed(3))),
        row('HIGH: flagged', (m) => m.high.flagged.toLocaleString('en')),
        row('HIGH: precision', (m) => pct(m.high.precision)),
        row('HIGH: recall', (m) => pct(m.high.recall)),
        row('HIGH: share of legit held', (m) => pct(m.high.honestShare)),
        row('MEDIUM or HIGH: precision', (m) => pct(m.mediumPlus.precision)),
        row('MEDIUM or HIGH: recall', (m) => pct(m.mediumPlus.recall)),
        row('Fraud money caught at HIGH', (m) => `${money(m.money.caught)} of ${money(m.money.positivesTotal)}`),
        row('Honest money held at HIGH', (m) => money(m.money.honestHeld)),
      ]}
    />
  );
}

/** One kind's fit: the weights and curves that moved, the zones, the held-out report and calibration. */
function KindReport({ fit, report, live, titles }: { fit: KindFit; report: FitReport; live: RulesetBody | undefined; titles: Map<string, string> }) {
  const held = report.heldOut[fit.kind];
  const liveZones = live ? (live.zones.byKind?.[fit.kind] ?? live.zones) : undefined;
  // Signals that fired in training and moved (or bent); those that never fired only follow the scale.
  const moved = Object.keys(fit.weights)
    .filter((id) => !fit.unobserved.includes(id))
    .map((id) => ({ id, before: fit.current[id] ?? 0, after: fit.weights[id]!, curve: fit.curves[id] }))
    .filter((w) => w.before !== w.after || w.curve)
    .sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || a.id.localeCompare(b.id));
  return (
    <div data-testid={`fit-kind-${fit.kind}`}>
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">{`${PLURAL[fit.kind][0]!.toUpperCase()}${PLURAL[fit.kind].slice(1)}: fitted on ${fit.counts.train.positive + fit.counts.train.negative} labelled (${fit.counts.train.positive} fraud), checked on ${fit.counts.test.positive + fit.counts.test.negative} held out (${fit.counts.test.positive} fraud)`}</Text>
        <div data-testid={`fit-zones-${fit.kind}`}>
          <Text as="p">
            {`Zones: MEDIUM from ${liveZones ? `${num(liveZones.medium)} → ` : ''}${num(fit.zones.medium)}, HIGH from ${liveZones ? `${num(liveZones.high)} → ` : ''}${num(fit.zones.high)} (HIGH chosen for ${pct(fit.targets.high)} held-out precision with at most ${pct(fit.targets.maxHonestShare)} of legit ${PLURAL[fit.kind]} held; MEDIUM for ${pct(fit.targets.medium)}).`}
          </Text>
        </div>
        {fit.notes.map((note, i) => (
          <Text as="p" tone="caution" key={i}>{note}</Text>
        ))}
        {held ? <MetricsTable live={held.live} fitted={held.fitted} /> : null}
        {held ? (
          <CalibrationTable
            caption="Calibration on the held-out part: of the labelled subjects in each score band, the share that was fraud."
            columns={[{ title: 'Live', bands: held.live.calibration }, { title: 'Fitted', bands: held.fitted.calibration }]}
          />
        ) : null}
        <div data-testid={`fit-weights-${fit.kind}`}>
          <DataTable
            columnContentTypes={['text', 'numeric', 'numeric', 'text']}
            headings={['Signal', 'Live weight', 'Fitted weight', 'Strength curve']}
            rows={moved.slice(0, 40).map((w) => [
              <div key={w.id} style={{ whiteSpace: 'normal', maxWidth: 320 }}>
                <BlockStack gap="050">
                  <Text as="span" fontWeight="semibold">{titles.get(w.id) ?? w.id}</Text>
                  <Text as="span" variant="bodySm" tone="subdued">{w.id}</Text>
                </BlockStack>
              </div>,
              num(w.before),
              num(w.after),
              <span key="curve" style={{ whiteSpace: 'normal' }}>{curveWords(w.curve)}</span>,
            ])}
          />
          {moved.length > 40 ? <Text as="p" tone="subdued">{`${moved.length - 40} more in the version's diff.`}</Text> : null}
          {fit.unobserved.length > 0 ? (
            <Text as="p" variant="bodySm" tone="subdued">
              {`${fit.unobserved.length} signal${fit.unobserved.length === 1 ? '' : 's'} never fired on a labelled ${fit.kind} in training: nothing to learn from, so ${fit.unobserved.length === 1 ? 'it keeps its' : 'they keep their'} live weight in log-odds and ${fit.unobserved.length === 1 ? 'its' : 'their'} points change only with the fit's scale (${num(fit.scale.priorPointsPerLogit)} → ${num(fit.scale.pointsPerLogit)} points per log-odds unit).`}
            </Text>
          ) : null}
          {moved.length === 0 ? <Text as="p" tone="subdued">No weight moved.</Text> : null}
        </div>
      </BlockStack>
    </div>
  );
}

/**
 * Fitting the weights and zones to the shop's own outcomes (issue 21): the labels per kind and
 * whether they suffice, a fit job with progress and cancel, and its result: a draft version shown
 * as a diff of weights, curves and zones with its held-out validation and calibration beside the
 * live version's, published in one click (roll back from the versions list).
 */
export function FitPanel({ versions, onDraft, onPublish, onSimulate, busy }: {
  /** The shop's versions (the editor's list), for the draft's status. */
  versions: readonly { version: number; status: string }[];
  /** Open a version in the editor. */
  onDraft(version: number): void;
  onPublish(version: number): void;
  onSimulate(version: number): void;
  busy?: string;
}) {
  const labels = useApi<LabelCounts>('/api/labels');
  const fits = useApi<FitList>('/api/fits');
  const signals = useApi<SignalCatalog>('/api/signals');
  const [highPrecision, setHighPrecision] = useState('0.9');
  const [split, setSplit] = useState<NonNullable<FitRequest['split']>>('auto');
  const [running, setRunning] = useState<Fit>();
  const [shown, setShown] = useState<Fit>();
  const [live, setLive] = useState<RulesetBody>();
  const [failure, setFailure] = useState<string>();
  const titles = new Map((signals.data?.signals ?? []).map((s) => [s.id, s.title]));

  // The latest finished fit is shown, with its full report.
  const latestDone = fits.data?.fits.find((f) => f.status === 'done');
  useEffect(() => {
    if (!latestDone || shown?.id === latestDone.id) return;
    api<Fit>(`/api/fits/${latestDone.id}`).then(setShown, (error: unknown) => setFailure((error as Error).message));
  }, [latestDone?.id]);
  // The version it was fitted from: its zones, for the diff.
  useEffect(() => {
    if (!shown) return;
    api<RulesetWithBody>(`/api/rulesets/${shown.fittedFrom}`).then((row) => setLive(row.body), (error: unknown) => setFailure((error as Error).message));
  }, [shown?.fittedFrom]);

  const start = async () => {
    setFailure(undefined);
    try {
      let fit = await api<Fit>('/api/rulesets/fit', { method: 'POST', body: { highPrecision: Number(highPrecision), split } satisfies FitRequest });
      setRunning(fit);
      // A job: polled until it ends (cancellable meanwhile).
      while (fit.status === 'running' || fit.status === 'cancelling') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        fit = await api<Fit>(`/api/fits/${fit.id}`);
        setRunning(fit);
      }
      setRunning(undefined);
      fits.reload();
      if (fit.status === 'done') {
        setShown(fit);
        if (fit.draftVersion) onDraft(fit.draftVersion);
      } else if (fit.status === 'failed') setFailure(`The fit failed: ${fit.error ?? (fit.refusal?.message ?? 'no reason given')}`);
      else setFailure('The fit was cancelled.');
    } catch (error) {
      setRunning(undefined);
      setFailure(error instanceof ApiError ? error.message : (error as Error).message);
    }
  };
  const cancel = () => {
    if (running) api(`/api/fits/${running.id}/cancel`, { method: 'POST' }).catch((error: unknown) => setFailure((error as Error).message));
  };

  const report = shown?.report ?? undefined;
  const draftStatus = shown?.draftVersion ? versions.find((v) => v.version === shown.draftVersion)?.status : undefined;
  const counts = labels.data;
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">Fit to your outcomes</Text>
        <Text as="p" tone="subdued">
          Learns the weights and zones from your shop's settled outcomes (chargebacks, your fraud and legit labels, double dips, orders that matured without a dispute), checks them on outcomes the fit never saw, and saves them as a draft version. Nothing is published until you publish it.
        </Text>
        {counts ? (
          <div data-testid="fit-labels">
            <DataTable
              columnContentTypes={['text', 'numeric', 'numeric', 'numeric', 'text']}
              headings={['', 'Fraud', 'Legit', 'Still in their dispute window', 'Can be fitted']}
              rows={KINDS.map((kind) => {
                const c = counts.kinds[kind];
                return [PLURAL[kind][0]!.toUpperCase() + PLURAL[kind].slice(1), c.positive.toLocaleString('en'), c.negative.toLocaleString('en'), (c.pending + c.immature).toLocaleString('en'), c.fittable ? 'Yes' : (c.missing ?? 'No')];
              })}
            />
            <Text as="p" variant="bodySm" tone="subdued">{`Each kind needs ${counts.minLabels} fraud and ${counts.minLabels} legit outcomes; chargebacks settle after ${counts.windowDays} days.`}</Text>
          </div>
        ) : null}
        {labels.error ? <Text as="p" tone="critical">{`Label counts: ${labels.error.message}`}</Text> : null}
        <InlineStack gap="300" blockAlign="end">
          <Select label="HIGH precision target" options={[{ label: '80% of HIGH is fraud', value: '0.8' }, { label: '90% of HIGH is fraud', value: '0.9' }, { label: '95% of HIGH is fraud', value: '0.95' }]} value={highPrecision} onChange={setHighPrecision} />
          <Select label="Held-out part" options={[{ label: 'Latest outcomes if they allow (auto)', value: 'auto' }, { label: 'Latest outcomes (by time)', value: 'time' }, { label: 'A share of customers', value: 'customer' }]} value={split} onChange={(v) => setSplit(v as NonNullable<FitRequest['split']>)} />
          <Button variant="primary" onClick={() => void start()} loading={running !== undefined} disabled={running !== undefined || counts?.fittable === false}>Fit weights and zones</Button>
        </InlineStack>
        {counts && !counts.fittable ? <Text as="p" tone="caution">Not enough outcomes to fit yet: see the counts above.</Text> : null}
        {running ? (
          <BlockStack gap="200">
            <Text as="p" tone="subdued">{running.status === 'cancelling' ? 'Stopping…' : `Fitting… ${Math.round(running.progress * 100)}%`}</Text>
            <ProgressBar progress={Math.round(running.progress * 100)} size="small" />
            <InlineStack><Button onClick={cancel} disabled={running.status !== 'running'}>Cancel the fit</Button></InlineStack>
          </BlockStack>
        ) : null}
        {failure ? <Banner tone="warning" title="No fitted draft" onDismiss={() => setFailure(undefined)}><p>{failure}</p></Banner> : null}
        {shown && report ? (
          <div data-testid="fit-report">
            <BlockStack gap="400">
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <Text as="h3" variant="headingMd">{`Draft version ${shown.draftVersion}, fitted from version ${shown.fittedFrom}`}</Text>
                {draftStatus ? <Badge tone={draftStatus === 'published' ? 'success' : draftStatus === 'draft' ? 'info' : undefined}>{draftStatus}</Badge> : null}
              </InlineStack>
              <Text as="p" tone="subdued">
                {`Fitted ${dateTime(shown.createdAt)} on outcomes known at ${dateTime(shown.asOf)}. Held-out part: ${report.split.mode === 'time' ? 'the latest outcomes' : 'a fixed share of customers'} (${Math.round(report.split.testShare * 100)}%) — ${report.split.reason}. Training ${report.split.trainPeriod[0].slice(0, 10)} to ${report.split.trainPeriod[1].slice(0, 10)}.`}
              </Text>
              {shown.draftVersion ? (
                <InlineStack gap="200">
                  {draftStatus === 'draft' ? <Button variant="primary" loading={busy === `publish-${shown.draftVersion}`} onClick={() => onPublish(shown.draftVersion!)}>{`Publish version ${shown.draftVersion}`}</Button> : null}
                  <Button onClick={() => onSimulate(shown.draftVersion!)}>{`Simulate version ${shown.draftVersion} against live`}</Button>
                  <Button variant="plain" onClick={() => onDraft(shown.draftVersion!)}>Open it in the editor</Button>
                </InlineStack>
              ) : null}
              {report.kinds.map((k) =>
                isFit(k) ? (
                  <KindReport key={k.kind} fit={k} report={report} live={live} titles={titles} />
                ) : (
                  <Text as="p" tone="subdued" key={k.kind}>{`${PLURAL[k.kind][0]!.toUpperCase()}${PLURAL[k.kind].slice(1)} not fitted: ${k.refused} (${k.counts.positive} fraud, ${k.counts.negative} legit); they keep the live weights and zones.`}</Text>
                ),
              )}
            </BlockStack>
          </div>
        ) : null}
      </BlockStack>
    </Card>
  );
}
