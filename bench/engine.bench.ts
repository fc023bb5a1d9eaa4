import { Engine } from 'json-rules-engine';
import { compileRuleset, createRegistry, type Ruleset, type Zone } from '../engine/index.ts';
import { defineSignal, type SignalResult, type SignalStatus } from '../sdk/index.ts';
import { makeOrder, orderContext } from '../sdk/testing/index.ts';

/**
 * The same 60-signal ruleset over the same precomputed signal results, decided (a) by
 * json-rules-engine as a naive peer would (one rule per signal, `run()` per event, then the
 * action rules) and (b) by the compiled engine. Prints decisions/s and the ratio.
 */
const SIGNALS = 60;
const RESULT_SETS = 2_000;
const PEER_EVENTS = 3_000;
const MIN_SECONDS = Number(process.env.BENCH_SECONDS ?? 1);

// A small deterministic PRNG (mulberry32) so every run scores the same inputs.
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(42);

const ids = Array.from({ length: SIGNALS }, (_, i) => `bench.signal-${String(i).padStart(2, '0')}`);
const weights = ids.map((_, i) => (i % 10 === 9 ? -10 : 4 + (i % 7) * 3));
const signals = ids.map((id) =>
  defineSignal({
    meta: {
      id,
      version: '1.0.0',
      title: `Bench ${id}`,
      description: 'A stand-in signal: results are precomputed.',
      category: 'order',
      appliesTo: ['order'],
      defaultWeight: 5,
      params: { type: 'object', properties: {} },
      needs: ['subject'],
    },
    evaluate: () => ({ status: 'no_hit' }),
  }),
);

const ruleset: Ruleset = {
  id: 'bench',
  version: 1,
  appliesTo: ['order'],
  zones: { medium: 31, high: 66 },
  signals: Object.fromEntries(ids.map((id, i) => [id, { weight: weights[i] }])),
  actions: [
    { id: 'hold', on: ['order'], conditions: { all: [{ fact: 'zone', operator: 'equal', value: 'high' }] }, do: [{ type: 'fulfillment.hold' }] },
    { id: 'assess', on: ['order'], conditions: { all: [{ fact: 'zone', operator: 'equal', value: 'medium' }] }, do: [{ type: 'risk.assessment' }] },
    { id: 'tag', on: ['order'], conditions: { all: [{ fact: 'score', operator: 'greaterThanInclusive', value: 10 }] }, do: [{ type: 'customer.tag' }] },
    {
      id: 'flow',
      on: ['order'],
      conditions: { any: [{ fact: 'hits', operator: 'contains', value: ids[0] }, { fact: 'score', operator: 'greaterThan', value: 80 }] },
      do: [{ type: 'flow.trigger', handle: 'risky' }],
    },
  ],
};

const STATUSES: SignalStatus[] = ['hit', 'no_hit', 'no_hit', 'no_hit', 'insufficient_data', 'no_hit'];
const resultSets: Map<string, SignalResult>[] = Array.from({ length: RESULT_SETS }, () => {
  const set = new Map<string, SignalResult>();
  for (const id of ids) {
    const status = STATUSES[Math.floor(random() * STATUSES.length)];
    const strength = status === 'hit' ? Math.round((0.2 + random() * 0.8) * 100) / 100 : 0;
    set.set(id, Object.freeze({ status, strength, evidence: Object.freeze({ n: Math.floor(random() * 10) }), message: status }));
  }
  return set;
});
const contexts = resultSets.map((_, i) => Object.freeze(orderContext(makeOrder({ id: `gid://shopify/Order/${i + 1}` }))));

// (b) the compiled engine.
const compiled = compileRuleset(ruleset, createRegistry(signals));
// The fast form: results aligned with the compiled ruleset's signal order.
const alignedSets = resultSets.map((set) => compiled.signalIds('order').map((id) => set.get(id)!));

// (a) json-rules-engine as a naive peer: one rule per signal adding its points, then zone and actions.
function zoneOf(score: number): Zone {
  return score >= 66 ? 'high' : score >= 31 ? 'medium' : 'low';
}
const signalEngine = new Engine([], { allowUndefinedFacts: true });
ids.forEach((id, i) => {
  signalEngine.addRule({
    name: id,
    conditions: { all: [{ fact: id, operator: 'equal', value: 'hit' }] },
    event: { type: 'points', params: { id, weight: weights[i] } },
  });
});
const actionEngine = new Engine([], { allowUndefinedFacts: true });
for (const rule of ruleset.actions!) actionEngine.addRule({ name: rule.id, conditions: rule.conditions as never, event: { type: rule.id } });

async function peerDecide(results: Map<string, SignalResult>): Promise<{ score: number; zone: Zone; actions: string[] }> {
  const facts: Record<string, string> = {};
  for (const [id, result] of results) facts[id] = result.status;
  const { events } = await signalEngine.run(facts);
  let raw = 0;
  const hits: string[] = [];
  for (const event of events) {
    const { id, weight } = event.params as { id: string; weight: number };
    raw += results.get(id)!.strength * weight;
    hits.push(id);
  }
  const score = Math.min(100, Math.max(0, Math.round(raw * 100) / 100));
  const zone = zoneOf(score);
  const actionRun = await actionEngine.run({ score, zone, hits });
  return { score, zone, actions: actionRun.events.map((e) => e.type) };
}

// Same work, same answers: check on a sample before timing.
for (let i = 0; i < 200; i++) {
  const peer = await peerDecide(resultSets[i]);
  const ours = compiled.decideWithResults(contexts[i], resultSets[i], { explainConditions: false });
  const ourActions = [...new Set(ours.actions.map((a) => a.ruleId))];
  if (Math.abs(peer.score - ours.score) > 0.011 || peer.zone !== ours.zone || peer.actions.join() !== ourActions.join()) {
    throw new Error(`bench engines disagree on event ${i}: ${JSON.stringify(peer)} vs ${JSON.stringify({ score: ours.score, zone: ours.zone, ourActions })}`);
  }
}

async function measurePeer(): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < PEER_EVENTS; i++) await peerDecide(resultSets[i % RESULT_SETS]);
  return PEER_EVENTS / ((performance.now() - started) / 1000);
}

const NO_EXPLAIN = { explainConditions: false };
function measureCompiled(form: 'aligned' | 'map' = 'aligned'): number {
  const sets = form === 'aligned' ? alignedSets : resultSets;
  let decided = 0;
  let sink = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < RESULT_SETS; i++) sink += compiled.decideWithResults(contexts[i], sets[i], NO_EXPLAIN).score;
    decided += RESULT_SETS;
    elapsed = performance.now() - started;
  } while (elapsed < MIN_SECONDS * 1000);
  if (sink < 0) console.log(sink);
  return decided / (elapsed / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
measureCompiled(); // warm up the JIT
await measurePeer();
// Alternate the engines over several rounds and report medians, so that a burst of load on the
// machine does not decide the ratio.
const peerRates: number[] = [];
const compiledRates: number[] = [];
const mapRates: number[] = [];
for (let round = 0; round < 5; round++) {
  peerRates.push(await measurePeer());
  compiledRates.push(measureCompiled());
  mapRates.push(measureCompiled('map'));
}
const [peerRate, compiledRate, mapRate] = [median(peerRates), median(compiledRates), median(mapRates)];
const format = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`engine bench: ${SIGNALS} signals, ${ruleset.actions!.length} action rules, precomputed results, one core (node ${process.version}), median of 5 rounds`);
console.log(`  json-rules-engine (rule per signal, run() per event)  ${format(peerRate).padStart(10)} decisions/s`);
console.log(`  compiled engine (decideWithResults, full trace)       ${format(compiledRate).padStart(10)} decisions/s   (target >= 200,000)`);
console.log(`  compiled engine, results keyed by id in a Map         ${format(mapRate).padStart(10)} decisions/s`);
console.log(`  ratio compiled / json-rules-engine                    ${(compiledRate / peerRate).toFixed(1).padStart(10)}x   (target >= 70x)`);
