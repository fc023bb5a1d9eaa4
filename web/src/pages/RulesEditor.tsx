import Editor, { DiffEditor, type OnMount } from '@monaco-editor/react';
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, Page, ProgressBar, Select, SkeletonBodyText, Text } from '@shopify/polaris';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import rulesetSchema from '../../../rulesets/schema/ruleset.schema.json';
import { api, ApiError, download, newestVersion, saveDraft, type CatalogSignal, type PreviewAnswer, type RulesetList, type RulesetVersion as Version, type RulesetWithBody, type ShadowReport, type Simulation, type SignalCatalog, type SimulateRequest, type PreviewRequest, type ValidateAnswer, type ValidateRequest } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { dateTime } from '../components/format.ts';
import { monaco } from '../components/monacoSetup.ts';
import { problemRange, type Problem } from '../components/rulesetMarkers.ts';
import { SuggestionsCard } from '../components/SuggestionsCard.tsx';
import { FitPanel } from '../components/FitPanel.tsx';
import { SimulationReport, type Report } from '../components/SimulationReport.tsx';
import { useApi } from '../components/useApi.ts';

const MODEL_URI = 'inmemory://refundsentry/ruleset.json';

const STATUS_TONE = { draft: 'info', published: 'success', archived: undefined } as const;

/**
 * The ruleset JSON Schema with the shop's catalog folded in: each known signal id becomes a
 * property (completion, hover with its description, its params schema).
 */
function schemaWithCatalog(signals: CatalogSignal[]) {
  const schema = structuredClone(rulesetSchema) as Record<string, any>;
  const config = schema.$defs.signalConfig;
  schema.properties.signals.properties = Object.fromEntries(
    signals.map((s) => [
      s.id,
      {
        ...config,
        description: `${s.title} — ${s.description} (default weight ${s.defaultWeight}${s.plugin ? `; from plugin ${s.plugin.name}@${s.plugin.version}` : ''})`,
        properties: { ...config.properties, ...(s.params ? { params: s.params } : {}) },
      },
    ]),
  );
  return schema;
}

/** The ruleset as code: Monaco with schema and server validation markers, versions, diff, save, publish, roll back. */
export function RulesEditor() {
  const versions = useApi<RulesetList>('/api/rulesets');
  const catalog = useApi<SignalCatalog>('/api/signals');
  const [selected, setSelected] = useState<number>();
  const [text, setText] = useState<string>();
  /** The version's text as loaded: the editor starts from it (uncontrolled, so typing never fights a re-render). */
  const [loaded, setLoaded] = useState<{ version: number; text: string }>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [preview, setPreview] = useState<PreviewAnswer>();
  /** Why the last preview was not had (over its budget, too slow); a preview replaced by a newer one says nothing. */
  const [previewRefused, setPreviewRefused] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [failure, setFailure] = useState<Error>();
  const [busy, setBusy] = useState<string>();
  const [diff, setDiff] = useState<{ left: number; right: number }>();
  const [diffTexts, setDiffTexts] = useState<{ left: string; right: string }>();
  const editorRef = useRef<Parameters<OnMount>[0]>();
  const [simulation, setSimulation] = useState<{ id: string; version: number; againstVersion: number; report: Report }>();
  const [days, setDays] = useState('90');
  const [running, setRunning] = useState<{ id: string; progress: number; status: string }>();
  const shadow = useApi<ShadowReport>('/api/shadow', 5000);

  const list = versions.data?.versions ?? [];
  const latest = newestVersion(list) ?? 0;
  const published = list.find((v) => v.status === 'published');

  // Open the published version first.
  useEffect(() => {
    if (selected === undefined && published) setSelected(published.version);
  }, [published, selected]);
  useEffect(() => {
    if (selected === undefined) return;
    api<RulesetWithBody>(`/api/rulesets/${selected}`).then(
      (row) => {
        const body = JSON.stringify(row.body, null, 2);
        setLoaded({ version: row.version, text: body });
        setText(body);
      },
      (error: unknown) => setFailure(error as Error),
    );
  }, [selected]);

  // The schema (with the catalog's signal ids) drives completion, hover docs and live markers.
  useEffect(() => {
    if (!catalog.data) return;
    monaco.json.jsonDefaults.setDiagnosticsOptions({
      validate: true,
      allowComments: false,
      enableSchemaRequest: false,
      schemas: [{ uri: 'inmemory://refundsentry/ruleset.schema.json', fileMatch: [MODEL_URI], schema: schemaWithCatalog(catalog.data.signals) }],
    });
  }, [catalog.data]);

  // The server's validator (unknown signals, bad params, zones out of order, expressions) as markers.
  const validate = useCallback(async (value: string) => {
    const model = monaco.editor.getModel(monaco.Uri.parse(MODEL_URI));
    let body: unknown;
    try {
      body = JSON.parse(value);
    } catch {
      return; // Monaco's JSON service already marks syntax errors
    }
    try {
      const result = await api<ValidateAnswer>('/api/rulesets/validate', { method: 'POST', body: { body } satisfies ValidateRequest });
      setProblems(result.problems);
      // A valid body: its zones over the stored history, re-weighted at once (no signal re-run).
      if (result.valid) {
        api<PreviewAnswer>('/api/rulesets/preview', { method: 'POST', body: { body, days: 90 } satisfies PreviewRequest }).then(
          (answer) => {
            setPreview(answer);
            setPreviewRefused(undefined);
          },
          (error: unknown) => {
            if (error instanceof ApiError && error.status === 409) return; // a newer preview replaced it
            setPreview(undefined);
            setPreviewRefused(error instanceof ApiError && error.status < 500 ? error.message : undefined);
          },
        );
      } else setPreview(undefined);
      if (!model || model.getValue() !== value) return;
      monaco.editor.setModelMarkers(
        model,
        'refundsentry',
        result.problems.map((p) => {
          const range = problemRange(value, p);
          const start = model.getPositionAt(range.start);
          const end = model.getPositionAt(range.end);
          return {
            severity: p.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
            message: `${p.message} (${p.code})`,
            startLineNumber: start.lineNumber,
            startColumn: start.column,
            endLineNumber: end.lineNumber,
            endColumn: end.column,
          };
        }),
      );
    } catch (error) {
      setFailure(error as Error);
    }
  }, []);
  useEffect(() => {
    if (text === undefined) return;
    const timer = setTimeout(() => void validate(text), 400);
    return () => clearTimeout(timer);
  }, [text, validate]);

  const act = async (what: string, call: () => Promise<string>) => {
    setBusy(what);
    setFailure(undefined);
    setNotice(undefined);
    try {
      setNotice(await call());
      versions.reload();
    } catch (error) {
      setFailure(error instanceof ApiError ? error : (error as Error));
    } finally {
      setBusy(undefined);
    }
  };
  const save = () =>
    act('save', async () => {
      const row = await saveDraft(JSON.parse(text ?? 'null'), list);
      setSelected(row.version);
      return `Saved as draft version ${row.version}.`;
    });
  const publish = (version: number) =>
    act(`publish-${version}`, async () => {
      await api(`/api/rulesets/${version}/publish`, { method: 'POST' });
      return `Version ${version} is live.`;
    });
  const rollback = (version: number) =>
    act(`rollback-${version}`, async () => {
      const row = await api<Version>(`/api/rulesets/${version}/rollback`, { method: 'POST' });
      setSelected(row.version);
      return `Version ${version}'s rules are live again as version ${row.version}.`;
    });

  useEffect(() => {
    if (!diff) return;
    Promise.all([api<RulesetWithBody>(`/api/rulesets/${diff.left}`), api<RulesetWithBody>(`/api/rulesets/${diff.right}`)]).then(
      ([left, right]) => setDiffTexts({ left: JSON.stringify(left.body, null, 2), right: JSON.stringify(right.body, null, 2) }),
      (error: unknown) => setFailure(error as Error),
    );
  }, [diff]);

  const simulateSelected = (version = selected) =>
    act('simulate', async () => {
      let run = await api<Simulation>(`/api/rulesets/${version}/simulate`, { method: 'POST', body: { days: Number(days) } satisfies SimulateRequest });
      setRunning(run);
      // A job: polled until it ends (the merchant may cancel it meanwhile).
      while (run.status === 'running' || run.status === 'cancelling') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        run = await api<Simulation>(`/api/simulations/${run.id}`);
        setRunning(run);
      }
      setRunning(undefined);
      if (run.status === 'cancelled') return 'Simulation cancelled.';
      if (run.status === 'failed' || !run.report) throw new Error(`The simulation failed: ${run.error ?? 'no report'}`);
      setSimulation({ ...run, report: run.report });
      return `Simulated version ${run.version} against live version ${run.againstVersion}.`;
    });
  const cancelSimulation = async () => {
    if (running) await api(`/api/simulations/${running.id}/cancel`, { method: 'POST' }).catch((error: unknown) => setFailure(error as Error));
  };
  const exportCsv = async () => {
    if (simulation) await download(`/api/simulations/${simulation.id}/flips.csv`, `simulation-${simulation.id}-flips.csv`).catch((error: unknown) => setFailure(error as Error));
  };

  const startShadow = (version: number) =>
    act(`shadow-${version}`, async () => {
      await api(`/api/rulesets/${version}/shadow`, { method: 'POST' });
      shadow.reload();
      return `Version ${version} now decides every new event in shadow, beside the live version, without acting.`;
    });
  const stopShadow = () =>
    act('shadow-stop', async () => {
      await api('/api/rulesets/shadow', { method: 'DELETE' });
      shadow.reload();
      return 'Shadow mode stopped.';
    });

  const errors = problems.filter((p) => p.severity === 'error');
  const options = useMemo(() => list.map((v) => ({ label: `v${v.version} (${v.status})`, value: String(v.version) })), [list]);
  const selectedRow = list.find((v) => v.version === selected);
  return (
    <Page
      title="Rules"
      subtitle="The ruleset as code: edit, check, save a draft, publish"
      primaryAction={{ content: 'Save as draft', onAction: save, loading: busy === 'save', disabled: text === undefined || errors.length > 0 }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={versions.error ?? catalog.error ?? failure} title="The rules" />
            {notice ? <Banner tone="success" title={notice} onDismiss={() => setNotice(undefined)} /> : null}
            {published?.overBudget ? (
              <Banner tone="warning" title={`Version ${published.version} is over its expression budget`}>
                <p data-testid="over-budget">
                  {`Its custom expressions cost too much: ${published.overBudget.reason}. Since ${dateTime(published.overBudget.since)}, orders and returns are scored with ${
                    versions.data?.scoringWith && versions.data.scoringWith.version !== published.version ? `version ${versions.data.scoringWith.version}` : `version ${published.version} without its custom signals`
                  }. Simplify the heaviest expressions (or move shared work into a derived fact) and publish again.`}
                </p>
              </Banner>
            ) : null}
            <Card padding="0">
              <div style={{ padding: 12 }}>
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">{selectedRow ? `Version ${selectedRow.version} (${selectedRow.status})` : 'Loading…'}</Text>
                  <Text as="span" tone={errors.length ? 'critical' : 'subdued'} id="problem-count">
                    {errors.length ? `${errors.length} problem${errors.length === 1 ? '' : 's'}` : 'No problems'}
                  </Text>
                </InlineStack>
              </div>
              {loaded === undefined ? (
                <div style={{ padding: 12 }}><SkeletonBodyText lines={12} /></div>
              ) : (
                <div data-testid="ruleset-editor">
                  <Editor
                    key={loaded.version}
                    height="560px"
                    language="json"
                    path={MODEL_URI}
                    defaultValue={loaded.text}
                    onChange={(value) => setText(value ?? '')}
                    onMount={(editor) => {
                      editorRef.current = editor;
                      // For browser tests and support sessions: the live editor and Monaco, from the console.
                      Object.assign(window, { refundsentryEditor: editor, refundsentryMonaco: monaco });
                      editor.onDidDispose(() => {
                        if ((window as { refundsentryEditor?: unknown }).refundsentryEditor === editor) delete (window as { refundsentryEditor?: unknown }).refundsentryEditor;
                      });
                    }}
                    options={{ minimap: { enabled: false }, fontSize: 13, scrollBeyondLastLine: false, automaticLayout: true, quickSuggestions: { strings: true, other: true } }}
                  />
                </div>
              )}
              {preview && errors.length === 0 ? (
                <div style={{ padding: 12 }} data-testid="instant-preview">
                  <Text as="p" variant="bodySm" tone="subdued">
                    {`Instant preview, last 90 days (${preview.events} events): HIGH ${preview.live.high} → ${preview.preview.high}, MEDIUM ${preview.live.medium} → ${preview.preview.medium}, LOW ${preview.live.low} → ${preview.preview.low}; ${preview.changed} change zone. Stored signal results re-weighted in ${preview.ms} ms; simulate for the full replay.`}
                  </Text>
                </div>
              ) : null}
              {previewRefused && errors.length === 0 ? (
                <div style={{ padding: 12 }} data-testid="preview-refused">
                  <Text as="p" variant="bodySm" tone="caution">{`No preview: ${previewRefused}`}</Text>
                </div>
              ) : null}
              {errors.length > 0 ? (
                <div style={{ padding: 12 }}>
                  <BlockStack gap="100">
                    {errors.slice(0, 8).map((p, i) => (
                      <Text as="p" tone="critical" key={i} variant="bodySm">{`${p.pointer || '/'}: ${p.message}`}</Text>
                    ))}
                  </BlockStack>
                </div>
              ) : null}
            </Card>
            <FitPanel
              versions={list}
              busy={busy}
              onDraft={(version) => { versions.reload(); setSelected(version); }}
              onPublish={publish}
              onSimulate={(version) => { setSelected(version); void simulateSelected(version); }}
            />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">Simulate on your history</Text>
                <Text as="p" tone="subdued">What this version would have decided, event by event, against the live version (nothing is acted on).</Text>
                <InlineStack gap="300" blockAlign="end">
                  <Select label="Window" options={[{ label: 'Last 30 days', value: '30' }, { label: 'Last 90 days', value: '90' }, { label: 'Last 6 months', value: '182' }, { label: 'Last 12 months', value: '365' }]} value={days} onChange={setDays} />
                  <Button variant="primary" loading={busy === 'simulate'} disabled={selected === undefined} onClick={() => simulateSelected()}>{`Simulate version ${selected ?? ''}`}</Button>
                </InlineStack>
                {running ? (
                  <BlockStack gap="200">
                    <Text as="p" tone="subdued">{running.status === 'cancelling' ? 'Stopping…' : `Replaying the history… ${Math.round(running.progress * 100)}%`}</Text>
                    <ProgressBar progress={Math.round(running.progress * 100)} size="small" />
                    <InlineStack>
                      <Button onClick={cancelSimulation} disabled={running.status !== 'running'}>Cancel the simulation</Button>
                    </InlineStack>
                  </BlockStack>
                ) : null}
                {simulation ? <div data-testid="simulation-report"><SimulationReport report={simulation.report} onExport={exportCsv} /></div> : null}
              </BlockStack>
            </Card>
            {shadow.data?.shadowVersion ? (
              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">{`Shadow: version ${shadow.data.shadowVersion} beside the live version`}</Text>
                    <Button loading={busy === 'shadow-stop'} onClick={stopShadow}>Stop shadow</Button>
                  </InlineStack>
                  {shadow.data.report && shadow.data.report.subjects > 0 ? (
                    <div data-testid="shadow-report"><SimulationReport report={shadow.data.report} /></div>
                  ) : (
                    <Text as="p" tone="subdued">No new event has been decided since shadow mode started.</Text>
                  )}
                </BlockStack>
              </Card>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">Compare versions</Text>
                <InlineStack gap="300" blockAlign="end">
                  <Select label="From" options={options} value={String(diff?.left ?? published?.version ?? '')} onChange={(v) => setDiff({ left: Number(v), right: diff?.right ?? latest })} />
                  <Select label="To" options={options} value={String(diff?.right ?? latest)} onChange={(v) => setDiff({ left: diff?.left ?? published?.version ?? 1, right: Number(v) })} />
                  <Button onClick={() => setDiff({ left: diff?.left ?? published?.version ?? 1, right: diff?.right ?? latest })}>Show the difference</Button>
                </InlineStack>
                {diff && diffTexts ? (
                  <div data-testid="ruleset-diff">
                    <DiffEditor height="360px" language="json" original={diffTexts.left} modified={diffTexts.right} options={{ readOnly: true, renderSideBySide: true, minimap: { enabled: false } }} />
                  </div>
                ) : null}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">Versions</Text>
              {list.length === 0 ? <SkeletonBodyText lines={4} /> : null}
              {[...list].sort((a, b) => b.version - a.version).map((v) => (
                <div key={v.version} data-version={v.version} data-status={v.status}>
                  <BlockStack gap="100">
                    <InlineStack align="space-between" blockAlign="center">
                      <Button variant="plain" onClick={() => setSelected(v.version)}>{`Version ${v.version}`}</Button>
                      <Badge tone={STATUS_TONE[v.status]}>{v.status}</Badge>
                    </InlineStack>
                    <Text as="span" variant="bodySm" tone="subdued">{`${v.createdBy ?? 'RefundSentry'} · ${dateTime(v.createdAt)}`}</Text>
                    <InlineStack gap="200">
                      {v.status === 'draft' ? (
                        <Button size="slim" loading={busy === `publish-${v.version}`} onClick={() => publish(v.version)}>{`Publish version ${v.version}`}</Button>
                      ) : null}
                      {v.status === 'draft' && !v.shadowSince ? (
                        <Button size="slim" loading={busy === `shadow-${v.version}`} onClick={() => startShadow(v.version)}>{`Run version ${v.version} in shadow`}</Button>
                      ) : null}
                      {v.shadowSince ? <Badge tone="attention">in shadow</Badge> : null}
                      {v.status === 'archived' ? (
                        <Button size="slim" loading={busy === `rollback-${v.version}`} onClick={() => rollback(v.version)}>{`Roll back to version ${v.version}`}</Button>
                      ) : null}
                    </InlineStack>
                  </BlockStack>
                </div>
              ))}
            </BlockStack>
          </Card>
          <SuggestionsCard
            onDraft={(version, message) => {
              setFailure(undefined);
              setNotice(message);
              setSelected(version);
              versions.reload();
            }}
          />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
