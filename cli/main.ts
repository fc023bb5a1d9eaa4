import { parseArgs } from 'node:util';
import { compileRuleset, createRegistry, RulesetValidationError, validateRuleset, type RulesetProblem } from '../engine/index.ts';
import { builtinSignals } from '../signals/index.ts';
import { CliInputError, readJsonFile } from './loadRuleset.ts';
import { readContexts } from './readContexts.ts';

const USAGE = `Usage:
  refundsentry score --ruleset <ruleset.json> --in <events.jsonl>   print one decision per line (JSONL)
  refundsentry validate <ruleset.json>                              print the ruleset's problems
  refundsentry signals                                              list the registered signals

Each line of events.jsonl is a point-in-time SignalContext (see sdk/context.ts).`;

/** Runs the CLI; returns the exit code (0 ok, 1 problems found, 2 bad usage or input). */
export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [command, ...rest] = argv;
  const registry = createRegistry(builtinSignals);
  try {
    switch (command) {
      case 'score':
        return await score(rest, registry, out, err);
      case 'validate':
        return await validate(rest, registry, out, err);
      case 'signals':
        for (const s of registry.list()) out.write(`${s.meta.id}\t${s.meta.version}\t${s.meta.appliesTo.join(',')}\t${s.meta.defaultWeight}\t${s.meta.title}\n`);
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
    if (e instanceof CliInputError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`refundsentry: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}

async function score(args: string[], registry: ReturnType<typeof createRegistry>, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({ args, options: { ruleset: { type: 'string' }, in: { type: 'string' } }, strict: true });
  if (!values.ruleset || !values.in) throw new CliInputError('score needs --ruleset <file> and --in <events.jsonl>');
  const body = await readJsonFile(values.ruleset, 'ruleset');
  let compiled;
  try {
    compiled = compileRuleset(body, registry);
  } catch (e) {
    if (!(e instanceof RulesetValidationError)) throw e;
    err.write(`refundsentry: ${values.ruleset} is not a valid ruleset:\n${formatProblems(e.problems)}`);
    return 2;
  }
  let bad = 0;
  for await (const entry of readContexts(values.in)) {
    if ('error' in entry) {
      bad++;
      err.write(`${values.in}:${entry.line}: ${entry.error}\n`);
      continue;
    }
    try {
      out.write(`${JSON.stringify(compiled.decide(entry.context))}\n`);
    } catch (e) {
      bad++;
      err.write(`${values.in}:${entry.line}: ${(e as Error).message}\n`);
    }
  }
  return bad > 0 ? 1 : 0;
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
  process.exitCode = await main(process.argv.slice(2));
}
