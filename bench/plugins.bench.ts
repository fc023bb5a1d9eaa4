import defaultRuleset from '../rulesets/default.json' with { type: 'json' };
import { compileRuleset, createRegistry, type CompiledRuleset, type Ruleset } from '../engine/index.ts';
import { replayHistory } from '../engine/history/replayHistory.ts';
import highRiskPostcode from '../examples/high-risk-postcodes/signals/high-risk-postcode.ts';
import { PluginHost } from '../plugins/PluginHost.ts';
import type { SignalContext } from '../sdk/index.ts';
import { generateShop } from '../scenarios/generateShop.ts';
import { builtinSignals } from '../signals/index.ts';

/**
 * What isolating a plugin costs per decision: the default ruleset plus the example plugin's
 * signal (examples/high-risk-postcodes), over the real point-in-time contexts of a generated
 * shop, with the signal
 *   (a) run in-process as if it were a built-in, and
 *   (b) run in the plugin's worker thread (the way the server runs plugins),
 * alternating for 5 rounds, medians. The difference is the isolation overhead: cloning the
 * context to the worker and one synchronous round trip per decision.
 *
 *   npm run bench        (engine, simulator, then this)
 */
const example = new URL('../examples/high-risk-postcodes', import.meta.url).pathname;
const ruleset = structuredClone(defaultRuleset) as Ruleset;
ruleset.signals['acme.high-risk-postcode'] = { weight: 20, params: { areas: [{ country: 'US', prefix: '100' }], minOrderValue: 150 } };

const host = await PluginHost.load([example], { builtinIds: builtinSignals.map((s) => s.meta.id), limits: { timeBudgetMs: 1000 } });
if (host.reports()[0]!.status !== 'loaded') throw new Error(`example plugin did not load: ${host.reports()[0]!.error}`);
const inProcess = compileRuleset(ruleset, createRegistry([...builtinSignals, highRiskPostcode]));
const isolated = compileRuleset(ruleset, createRegistry([...builtinSignals, ...host.signals]));
const builtinOnly = compileRuleset(defaultRuleset as Ruleset, createRegistry(builtinSignals));

const contexts: SignalContext[] = [];
for (const { context } of replayHistory(generateShop({ seed: 2026, customers: 300, days: 178 }).events, inProcess, { shopId: 'bench', keepContexts: true })) contexts.push(context!);

// Same answers both ways before timing.
for (const ctx of contexts.slice(0, 300)) {
  const a = inProcess.decide(ctx, { explainConditions: false });
  const b = isolated.decide(ctx, { explainConditions: false });
  if (a.score !== b.score || JSON.stringify(a.signals) !== JSON.stringify(b.signals)) throw new Error(`isolated and in-process decisions differ on ${ctx.subject.id}`);
}

function run(compiled: CompiledRuleset): number {
  const started = performance.now();
  for (const ctx of contexts) compiled.decide(ctx, { explainConditions: false });
  return (performance.now() - started) / contexts.length;
}
const times = { builtin: [] as number[], inProcess: [] as number[], isolated: [] as number[] };
for (let round = 0; round < 5; round++) {
  times.builtin.push(run(builtinOnly));
  times.inProcess.push(run(inProcess));
  times.isolated.push(run(isolated));
}
await host.close();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
const us = (ms: number) => `${(ms * 1000).toFixed(1).padStart(7)} µs`;
const [b, a, i] = [median(times.builtin), median(times.inProcess), median(times.isolated)];
const contextBytes = contexts.reduce((sum, ctx) => sum + JSON.stringify(ctx).length, 0) / contexts.length;
console.log(`plugin isolation bench: ${contexts.length.toLocaleString('en-US')} point-in-time contexts of a generated shop (mean ${Math.round(contextBytes).toLocaleString('en-US')} bytes as JSON), default ruleset, node ${process.version}, median of 5`);
console.log(`  built-ins only (64 signals)                          ${us(b)} per decision`);
console.log(`  + example plugin signal, in-process                  ${us(a)} per decision`);
console.log(`  + example plugin signal, isolated in its worker      ${us(i)} per decision`);
console.log(`  isolation overhead                                   ${us(i - a)} per decision   (${(i / a).toFixed(2)}x the in-process decision)`);
