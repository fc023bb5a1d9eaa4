import Editor, { DiffEditor, type OnMount } from '@monaco-editor/react';
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, Page, ProgressBar, Select, SkeletonBodyText, Text } from '@shopify/polaris';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, download, newestVersion, saveDraft, type PreviewAnswer, type RulesetList, type RulesetVersion as Version, type RulesetWithBody, type ShadowReport, type Simulation, type SignalCatalog, type SimulateRequest, type PreviewRequest, type ValidateAnswer, type ValidateRequest } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { dateTime } from '../components/format.ts';
import { monaco } from '../components/monacoSetup.ts';
import { problemRange, syntaxProblems, type Problem, type SyntaxProblem, type TextRange } from '../components/rulesetMarkers.ts';
import { documentSchemaUri, editorSchemas, MODEL_URI } from '../components/rulesetSchema.ts';
import { SuggestionsCard } from '../components/SuggestionsCard.tsx';
import { FitPanel } from '../components/FitPanel.tsx';
import { SimulationReport, type Report } from '../components/SimulationReport.tsx';
import { useApi } from '../components/useApi.ts';

const STATUS_TONE = { draft: 'info', published: 'success', archived: undefined } as const;

/** The ruleset as code: Monaco with schema and server validation markers, versions, diff, save, publish, roll back. */
export function RulesEditor() {
  const versions = useApi<RulesetList>('/api/rulesets');
  const catalog = useApi<SignalCatalog>('/api/signals');
  const [selected, setSelected] = useState<number>();
  const [text, setText] = useState<string>();
  /** The version's text as loaded: the editor starts from it (uncontrolled, so typing never fights a re-render). */
  const [loaded, setLoaded] = useState<{ version: number; text: string }>();
  /** The server validator's problems of the last text that parsed (none while the text does not parse). */
  const [problems, setProblems] = useState<Problem[]>([]);
  /** The text's JSON syntax errors: while there is one, nothing is validated, previewed or saved. */
  const [syntax, setSyntax] = useState<SyntaxProblem[]>([]);
  /** The number of the latest check: an answer to an earlier one is dropped. */
  const checks = useRef(0);
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

  // The schema (with the catalog's signal ids) drives completion and hover docs. The stored
  // ruleset names its schema ("$schema": "./schema/ruleset.schema.json"), which Monaco's JSON
  // service prefers to any fileMatch and would try to fetch: the app's schema is registered under
  // the URI that "$schema" resolves to (and under whatever another "$schema" typed in names), so
  // nothing is ever fetched. Problems are the page's alone — JSON syntax (syntaxProblems) and the
  // server's validator, which checks this schema and more — so each is counted and marked once:
  // Monaco's own validation is off.
  const schemaUri = useMemo(() => (text === undefined ? undefined : documentSchemaUri(text)), [text]);
  useEffect(() => {
    if (!catalog.data) return;
    monaco.json.jsonDefaults.setDiagnosticsOptions({
      validate: false,
      allowComments: false,
      enableSchemaRequest: false,
      schemas: editorSchemas(catalog.data.signals, schemaUri),
    });
  }, [catalog.data, schemaUri]);

  // The text's problems as markers: JSON syntax errors while it does not parse (then nothing is
  // sent to the server), else the server's validator (unknown signals, bad params, zones out of
  // order, expressions) and, for a valid body, the instant preview.
  const validate = useCallback(async (value: string) => {
    const check = ++checks.current;
    const latest = () => check === checks.current;
    const model = monaco.editor.getModel(monaco.Uri.parse(MODEL_URI));
    const mark = (marks: (TextRange & { error: boolean; message: string })[]) => {
      if (!model || model.getValue() !== value) return;
      monaco.editor.setModelMarkers(
        model,
        'refundsentry',
        marks.map((m) => {
          const start = model.getPositionAt(m.start);
          const end = model.getPositionAt(m.end);
          return {
            severity: m.error ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
            message: m.message,
            startLineNumber: start.lineNumber,
            startColumn: start.column,
            endLineNumber: end.lineNumber,
            endColumn: end.column,
          };
        }),
      );
    };
    const found = syntaxProblems(value);
    setSyntax(found);
    if (found.length > 0) {
      // The server's problems were those of a text that parsed: stale now.
      setProblems([]);
      mark(found.map((p) => ({ ...p, error: true, message: `${p.message} (JSON syntax)` })));
      return;
    }
    const body: unknown = JSON.parse(value);
    try {
      const result = await api<ValidateAnswer>('/api/rulesets/validate', { method: 'POST', body: { body } satisfies ValidateRequest });
      if (!latest()) return; // the text changed meanwhile: its own check decides
      setProblems(result.problems);
      // A valid body: its zones over the stored history, re-weighted at once (no signal re-run).
      if (result.valid) {
        api<PreviewAnswer>('/api/rulesets/preview', { method: 'POST', body: { body, days: 90 } satisfies PreviewRequest }).then(
          (answer) => {
            if (!latest()) return;
            setPreview(answer);
            setPreviewRefused(undefined);
          },
          (error: unknown) => {
            if (!latest() || (error instanceof ApiError && error.status === 409)) return; // a newer preview replaced it
            setPreview(undefined);
            setPreviewRefused(error instanceof ApiError && error.status < 500 ? error.message : undefined);
          },
        );
      } else setPreview(undefined);
      mark(result.problems.map((p) => ({ ...problemRange(value, p), error: p.severity === 'error', message: `${p.message} (${p.code})` })));
    } catch (error) {
      if (latest()) setFailure(error as Error);
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
  const save = () => {
    if (text === undefined) return;
    // Clicked before the check caught up with the typing: show the syntax errors, save nothing.
    if (syntaxProblems(text).length > 0) return void validate(text);
    return act('save', async () => {
      const row = await saveDraft(JSON.parse(text), list);
      setSelected(row.version);
      return `Saved as draft version ${row.version}.`;
    });
  };
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
  const problemCount = syntax.length + errors.length;
  /** Why Save is off, in words (beside the problem count and on the button). */
  const saveBlocked = syntax.length > 0 ? 'Fix the JSON syntax to save: Save as draft is off until the ruleset parses.' : errors.length > 0 ? 'Fix the problems below to save: Save as draft is off while the ruleset has errors.' : undefined;
  const options = useMemo(() => list.map((v) => ({ label: `v${v.version} (${v.status})`, value: String(v.version) })), [list]);
  const selectedRow = list.find((v) => v.version === selected);
  return (
    <Page
      title="Rules"
      subtitle="The ruleset as code: edit, check, save a draft, publish"
     
      primaryAction={{ content: 'Save as draft', onAction: save, loading: busy === 'save', disabled: text === undefined || problemCount > 0, helpText: saveBlocked }}
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
            {/* Above the cards beside and below it (each card is its own stacking context): the editor's hovers and completion details overflow it. */}
            <div style={{ position: 'relative', zIndex: 1 }}>
            <Card padding="0">
              <div style={{ padding: 12 }}>
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">{selectedRow ? `Version ${selectedRow.version} (${selectedRow.status})` : 'Loading…'}</Text>
                  <Text as="span" tone={problemCount ? 'critical' : 'subdued'} id="problem-count">
                    {problemCount ? `${problemCount} problem${problemCount === 1 ? '' : 's'}` : 'No problems'}
                  </Text>
                </InlineStack>
                {saveBlocked ? (
                  <div data-testid="save-blocked" style={{ textAlign: 'right' }}>
                    <Text as="p" variant="bodySm" tone="subdued">{saveBlocked}</Text>
                  </div>
                ) : null}
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
                    // Completion details and hovers drawn above the page, not clipped at the card's edge.
                    options={{ minimap: { enabled: false }, fontSize: 13, scrollBeyondLastLine: false, automaticLayout: true, fixedOverflowWidgets: true, quickSuggestions: { strings: true, other: true } }}
                  />
                </div>
              )}
              {preview && problemCount === 0 ? (
                <div style={{ padding: 12 }} data-testid="instant-preview">
                  <Text as="p" variant="bodySm" tone="subdued">
                    {`Instant preview, last 90 days (${preview.events} event${preview.events === 1 ? '' : 's'}): HIGH ${preview.live.high} → ${preview.preview.high}, MEDIUM ${preview.live.medium} → ${preview.preview.medium}, LOW ${preview.live.low} → ${preview.preview.low}; ${preview.changed} change zone. Stored signal results re-weighted in ${preview.ms} ms; simulate for the full replay.`}
                  </Text>
                </div>
              ) : null}
              {previewRefused && problemCount === 0 ? (
                <div style={{ padding: 12 }} data-testid="preview-refused">
                  <Text as="p" variant="bodySm" tone="caution">{`No preview: ${previewRefused}`}</Text>
                </div>
              ) : null}
              {syntax.length > 0 ? (
                <div style={{ padding: 12 }} data-testid="syntax-problems">
                  <BlockStack gap="100">
                    {syntax.slice(0, 8).map((p, i) => (
                      <Text as="p" tone="critical" key={i} variant="bodySm">{`Line ${p.line}, column ${p.column}: ${p.message}`}</Text>
                    ))}
                    {syntax.length > 8 ? <Text as="p" tone="critical" variant="bodySm">{`and ${syntax.length - 8} more`}</Text> : null}
                  </BlockStack>
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
              {problemCount > 0 ? (
                <div style={{ padding: 12 }} data-testid="preview-paused">
                  <Text as="p" variant="bodySm" tone="subdued">
                    {syntax.length > 0 ? 'Instant preview paused until the JSON parses.' : 'Instant preview paused until the problems are fixed.'}
                  </Text>
                </div>
              ) : null}
            </Card>
            </div>
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
