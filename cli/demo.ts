import { readFile } from 'node:fs/promises';
import { compileRuleset, createRegistry, type Decision, type Ruleset } from '../engine/index.ts';
import type { SignalContext } from '../sdk/index.ts';
import { builtinSignals } from '../signals/index.ts';

/**
 * `npm start` until the server exists: scores the example events with the default ruleset and
 * prints each decision's score, zone, top signals and actions.
 */
const root = new URL('../rulesets/', import.meta.url);
const ruleset = JSON.parse(await readFile(new URL('default.json', root), 'utf8')) as Ruleset;
const lines = (await readFile(new URL('examples/events.jsonl', root), 'utf8')).split('\n').filter(Boolean);
const compiled = compileRuleset(ruleset, createRegistry(builtinSignals));

console.log(`RefundSentry demo: ruleset ${compiled.id} v${compiled.version} (${compiled.contentHash.slice(0, 12)}), ${builtinSignals.length} signals\n`);
for (const line of lines) printDecision(compiled.decide(JSON.parse(line) as SignalContext, { clock: performance.now.bind(performance) }));
console.log('\nScore your own events: npx refundsentry score --ruleset rulesets/default.json --in rulesets/examples/events.jsonl');

function printDecision(decision: Decision): void {
  const top = decision.signals
    .filter((s) => s.status === 'hit')
    .sort((a, b) => Math.abs(b.strength * b.weight) - Math.abs(a.strength * a.weight))
    .slice(0, 3)
    .map((s) => {
      const raw = Math.round(s.strength * s.weight * 100) / 100;
      return `${s.id} ${s.points > 0 ? '+' : ''}${s.points}${raw !== s.points ? ` (raw ${raw})` : ''}`;
    });
  const thin = decision.signals.filter((s) => s.status === 'insufficient_data').map((s) => s.id);
  console.log(
    `${decision.subject.kind.padEnd(6)} ${decision.subject.id.padEnd(28)} score ${String(decision.score).padStart(5)}  ${decision.zone.toUpperCase().padEnd(6)}` +
      `  ${top.join(', ') || 'no signal fired'}` +
      (thin.length ? `  [${thin.length} of ${decision.coverage.evaluated} signals lacked data]` : '') +
      (decision.actions.length ? `\n${' '.repeat(44)}actions: ${decision.actions.map((a) => a.type).join(', ')}` : ''),
  );
}
