import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { compileRuleset, createRegistry, type Decision, type SignalTrace } from '../engine/index.ts';
import { buildBaseline, replayHistory, ShopHistory, type HistoryEvent } from '../engine/history/index.ts';
import { reweigh, SignalMatrix } from '../engine/simulate/signalMatrix.ts';
import { readWebhookFixture } from '../server/shopify/fixtures/readWebhookFixture.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../server/testing/testApp.ts';
import { builtinSignals } from '../signals/index.ts';
import { generateShop } from './generateShop.ts';

/**
 * One scoring kernel, one answer (issue 22, part 2): a generated shop's history with snoozes, a
 * block-list entry and a holdout share, all set through the admin API, is decided by the app (the
 * backfill from its history file, through the app's scoring, then live orders sent as signed
 * webhooks, two customers with a blocked email, one of them with the block-list signal snoozed,
 * the other's HIGH orders sampled for the holdout), then scored again by the simulator
 * (`POST /api/rulesets/1/simulate`, the live version), the preview (`POST /api/rulesets/preview`
 * with the live body) and the CLI (`refundsentry replay` with the lists and snoozes the API
 * answers). Every path must give each subject the live score and zone; before the kernel, the
 * simulator and the preview re-weighed a snoozed hit at full points.
 *
 * What each path can know, honestly:
 * - The simulator's report holds zone counts and flips, not a score per subject: the API check is
 *   that both of its sides give the live zone counts with no flip; the per-subject check runs what
 *   the simulation job runs (`replayHistory` through `simulate`) on the app's stored history.
 * - The preview answers zone counts and how many subjects changed zone: the API check is 0 changed;
 *   the per-subject check re-weighs the stored decisions as the preview does (`reweigh`).
 * - The holdout only skips the actions of live HIGH decisions (never a score or zone; a backfill's
 *   decisions are never acted on): the live orders show it skipping some HIGH decisions' actions,
 *   and the other paths, which know nothing of actions, give those subjects the same scores.
 * - The CLI reads the history file: the webhook orders are not in it, so it answers for the
 *   history's subjects; the simulator and the preview read the store and answer for all.
 * - The history is dated after the snoozes are set (a snooze is in force from the moment it is
 *   added), so the app's baseline (built from the records before the day it is built) holds none of
 *   it; the CLI is given the same with `--baseline-as-of` (now).
 */
const SHOP = 'parity.myshopify.com';
/** The default ruleset with HIGH from 30: a block-list hit alone (35 points) is HIGH, so that the holdout has live HIGH decisions to sample. */
const RULESET = { ...DEFAULT_RULESET, zones: { medium: 20, high: 30 } };
const BLOCKED_EMAIL = 'blocked.buyer@example.com';
const SNOOZED_CUSTOMER = 'gid://shopify/Customer/115310627314723954';
const OTHER_CUSTOMER = 'gid://shopify/Customer/115310627314799999';
const DAY = 86_400_000;
const registry = createRegistry(builtinSignals);
const today = Math.floor(Date.now() / DAY) * DAY;
const start = new Date(today + 40 * DAY).toISOString().slice(0, 10);
const shop = generateShop({ seed: 13, customers: 80, start, days: 150 });
const END = new Date(Date.parse(`${start}T00:00:00Z`) + 400 * DAY).toISOString();
const FROM = new Date(today - DAY).toISOString();
let app: TestApp;
let dir: string;
let historyPath: string;

type Stored = { subject_id: string; score: string | number; zone: string; trace: Decision };
let stored: Stored[];
let snoozeDays: number;
const liveOrders: { id: string; customerId: string }[] = [];
let nextId = 910_000_000_000_000_000n;

/** Shopify's sample order as a new order of `customer` by the blocked email at `createdAt`, sent signed to the app. */
async function sendOrder(customerId: string, createdAt: string): Promise<void> {
  const id = String(nextId++);
  const body = readWebhookFixture('orders_create')
    .replaceAll('820982911946154508', id)
    .replaceAll('115310627314723954', customerId.slice(customerId.lastIndexOf('/') + 1))
    .replaceAll('jon@example.com', BLOCKED_EMAIL)
    .replace('"created_at": "2021-12-31T19:00:00-05:00"', `"created_at": "${createdAt}"`);
  expect((await app.webhook('orders/create', body, { shop: SHOP })).statusCode).toBe(200);
  liveOrders.push({ id: `gid://shopify/Order/${id}`, customerId });
}

async function call(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const response = await app.server.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${await app.sessionToken(SHOP)}` } });
  return { status: response.statusCode, body: JSON.parse(response.payload) };
}

const subjectTimes = shop.events.flatMap((e: HistoryEvent) => (e.type === 'order' ? [e.order.createdAt] : e.type === 'return' ? [e.return.createdAt] : e.type === 'refund' ? [e.refund.createdAt] : []));
const lineKey = (s: Pick<SignalTrace, 'id' | 'points' | 'status'> & { snoozed?: unknown }) => `${s.id} ${s.status} ${s.points}${s.snoozed ? ' snoozed' : ''}`;
const zoneCounts = (zones: readonly string[]) => {
  const counts = { low: 0, medium: 0, high: 0 };
  for (const z of zones) counts[z as 'low']++;
  return counts;
};

beforeAll(async () => {
  // Every subject of the history comes after the snoozes are set (now), and some after they end.
  expect(subjectTimes.every((t) => Date.parse(t) > Date.now() + DAY)).toBe(true);
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-parity-'));
  historyPath = join(dir, 'history.jsonl');
  await writeFile(historyPath, shop.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  app = await startTestApp();
  await app.installShop(SHOP, RULESET);

  // Whom to snooze: the customers of the subjects the default ruleset puts in MEDIUM or HIGH in the
  // first half of the history (replayed here with the app's ruleset and an empty baseline), every
  // signal that added points to them, until mid-history.
  const half = Date.parse(`${start}T00:00:00Z`) + 75 * DAY;
  snoozeDays = Math.ceil((half - Date.now()) / DAY);
  const emptyBaseline = buildBaseline(ShopHistory.from([]).all, { asOf: new Date().toISOString() });
  const customerOf = new Map<string, string | null>();
  const orderOf = new Map<string, string>();
  for (const e of shop.events) {
    if (e.type === 'order') customerOf.set(e.order.id, e.order.customerId ?? null);
    if (e.type === 'return') orderOf.set(e.return.id, e.return.orderId);
    if (e.type === 'refund') orderOf.set(e.refund.id, e.refund.orderId);
  }
  const targets = new Map<string, Set<string>>();
  for (const { decision } of replayHistory(shop.events, compileRuleset(RULESET, registry), { shopId: SHOP, baselineEveryDays: 0, baseline: emptyBaseline })) {
    const customerId = customerOf.get(orderOf.get(decision.subject.id) ?? decision.subject.id);
    if (!customerId || decision.zone === 'low' || Date.parse(decision.subject.at) >= half - 7 * DAY || targets.size >= 6) continue;
    const signals = targets.get(customerId) ?? new Set();
    for (const s of decision.signals) if (s.status === 'hit' && s.points > 0 && !s.id.startsWith('order.blocklist')) signals.add(s.id);
    targets.set(customerId, signals);
  }
  expect(targets.size).toBeGreaterThan(2);
  for (const [customerId, signals] of targets) {
    for (const signalId of signals) {
      const added = await call('POST', '/api/snoozes', { customerId, signalId, days: snoozeDays, reason: 'parity test' });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
    }
  }
  // A block-list entry: the email hash of a customer not snoozed, by its keyed hash (as a decision's evidence shows it).
  const blockedOrder = shop.events.find((e) => e.type === 'order' && e.order.customerId && !targets.has(e.order.customerId) && e.order.identity?.email);
  expect(blockedOrder).toBeDefined();
  const hash = (blockedOrder as Extract<HistoryEvent, { type: 'order' }>).order.identity!.email!;
  expect((await call('POST', '/api/lists', { list: 'blocked', kind: 'email', hash, note: 'parity test' })).status).toBe(201);
  expect((await call('POST', '/api/lists', { list: 'blocked', kind: 'email', value: BLOCKED_EMAIL, note: 'parity test' })).status).toBe(201);
  expect((await call('POST', '/api/snoozes', { customerId: SNOOZED_CUSTOMER, signalId: 'order.blocklist-match', days: 365, reason: 'parity test' })).status).toBe(201);
  expect((await call('PUT', '/api/holdout', { percent: 20 })).body).toEqual({ percent: 20 });

  await app.backfill.start(SHOP, { kind: 'file', path: historyPath }, { days: 800, to: END });
  await app.waitFor(async () => (await app.backfill.progress(SHOP)).status === 'done', 'the backfill', 120_000);
  // Live orders after the history, a day apart, alternating between the two customers.
  const historyEnd = Math.max(...subjectTimes.map((t) => Date.parse(t)));
  // Each is decided before the next is sent, as a day apart they would be: a decision reads the
  // customer's earlier verdicts (customer.prior-high-risk-decisions), which the replay always has;
  // sent in a burst, one order could be decided before the one a day earlier and miss its verdict.
  for (let i = 0; i < 24; i++) {
    await sendOrder(i % 2 === 0 ? OTHER_CUSTOMER : SNOOZED_CUSTOMER, new Date(historyEnd + (i + 1) * DAY).toISOString());
    const order = liveOrders.at(-1)!;
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, order.id), `the live decision of ${order.id}`, 60_000);
  }
  stored = await app.stores.db('decisions').where({ shop_id: SHOP }).orderBy('decided_at').orderBy('id').select('subject_id', 'score', 'zone', 'trace');
}, 240_000);

afterAll(async () => {
  await app?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('scoring parity: live, simulator, preview and CLI', () => {
  it('the live decisions carry the snoozes (0 points, in force only until they end) and the block-list hit', () => {
    expect(stored.length).toBeGreaterThan(300);
    const snoozedLines = stored.flatMap((d) => d.trace.signals.filter((s) => s.snoozed));
    expect(snoozedLines.filter((s) => s.status === 'hit').length).toBeGreaterThan(3);
    for (const line of snoozedLines) expect(line.points).toBe(0);
    const ends = Date.now() + snoozeDays * DAY;
    // The history's snoozes end mid-history (the live orders' customer has one of a year).
    const live = new Set(liveOrders.map((o) => o.id));
    for (const d of stored) if (!live.has(d.subject_id) && Date.parse(d.trace.subject.at) >= ends) expect(d.trace.signals.some((s) => s.snoozed)).toBe(false);
    expect(stored.some((d) => d.trace.signals.some((s) => s.id === 'order.blocklist-match' && s.status === 'hit'))).toBe(true);
  });

  it('live orders: the snoozed customer\'s block-list hits score 0, the other\'s are HIGH, and the holdout skips the actions of some of those', async () => {
    const byId = new Map(stored.map((d) => [d.subject_id, d]));
    const blockLine = (id: string) => byId.get(id)!.trace.signals.find((s) => s.id === 'order.blocklist-match')!;
    const snoozed = liveOrders.filter((o) => o.customerId === SNOOZED_CUSTOMER);
    const acted = liveOrders.filter((o) => o.customerId === OTHER_CUSTOMER);
    for (const o of snoozed) expect(blockLine(o.id)).toMatchObject({ status: 'hit', points: 0, snoozed: expect.objectContaining({ reason: 'parity test' }) });
    for (const o of acted) {
      expect(blockLine(o.id)).toMatchObject({ status: 'hit', points: 35 });
      expect(blockLine(o.id).snoozed).toBeUndefined();
      expect(byId.get(o.id)!.zone).toBe('high');
    }
    const rows = await app.stores.db('decisions').where({ shop_id: SHOP }).whereIn('subject_id', acted.map((o) => o.id)).select('id', 'holdout');
    const held = rows.filter((r) => r.holdout);
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThan(acted.length);
    for (const row of held) {
      const actions = await app.stores.actions.forDecision(SHOP, String(row.id));
      for (const a of actions.filter((x) => x.type !== 'review.queue')) expect(a).toMatchObject({ status: 'skipped', result: { reason: 'holdout' } });
    }
    // The snoozes matter: scored at full points (what the simulator and preview did before the kernel), some zone changes.
    const blind = reweigh(SignalMatrix.fromResults(stored.map((d) => ({ subjectId: d.subject_id, kind: d.trace.subject.kind, signals: d.trace.signals }))), compileRuleset(RULESET, registry));
    expect(stored.filter((d, i) => ['low', 'medium', 'high'][blind.zones[i]!] !== d.zone).length).toBeGreaterThan(0);
  });

  it('the simulator of the live version gives the live zones on both sides with no flip, and each subject its live score', async () => {
    const started = await call('POST', '/api/rulesets/1/simulate', { from: FROM, to: END });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const run = await app.waitFor(async () => {
      const current = await call('GET', `/api/simulations/${started.body.id}`);
      if (current.body.status === 'failed') throw new Error(current.body.error ?? 'the simulation failed');
      return current.body.status === 'done' ? current : undefined;
    }, 'the simulation', 120_000);
    const zones = zoneCounts(stored.map((d) => d.zone));
    expect(run.body.report.subjects).toBe(stored.length);
    expect(run.body.report.zones.before).toEqual(zones);
    expect(run.body.report.zones.after).toEqual(zones);
    expect(run.body.report.flips).toEqual([]);

    // Per subject: what the simulation job runs, on the app's stored history, lists and snoozes.
    const material = (await app.stores.context.wholeShop(SHOP))!;
    const events: HistoryEvent[] = [...material.events, ...material.outcomes.map((outcome): HistoryEvent => ({ type: 'outcome', outcome }))];
    const baseline = buildBaseline(ShopHistory.from(await app.stores.events.allForBaseline(SHOP)).all, { asOf: new Date().toISOString() });
    const replayed = new Map<string, Decision>();
    for (const { decision } of replayHistory(events, compileRuleset(RULESET, registry), {
      shopId: SHOP,
      lists: await app.stores.lists.forShop(SHOP),
      snoozes: await app.stores.snoozes.forShop(SHOP),
      baselineEveryDays: 0,
      baseline,
    })) replayed.set(decision.subject.id, decision);
    for (const d of stored) {
      const r = replayed.get(d.subject_id)!;
      expect([r.score, r.zone], d.subject_id).toEqual([Number(d.score), d.zone]);
      expect(r.signals.map(lineKey), d.subject_id).toEqual(d.trace.signals.map(lineKey));
    }
  }, 180_000);

  it('the preview of the live body changes no zone, and re-weighing the stored decisions gives each its score', async () => {
    const preview = await call('POST', '/api/rulesets/preview', { body: RULESET, days: 730 });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ mode: 'reweighted', events: stored.length, changed: 0 });
    expect(preview.body.preview).toEqual(preview.body.live);
    expect(preview.body.live).toEqual(zoneCounts(stored.map((d) => d.zone)));
    const again = reweigh(SignalMatrix.fromDecisions(stored.map((d) => d.trace)), compileRuleset(RULESET, registry));
    stored.forEach((d, i) => {
      expect(again.scoreCents[i]! / 100, d.subject_id).toBe(Number(d.score));
      expect(['low', 'medium', 'high'][again.zones[i]!]).toBe(d.zone);
    });
  });

  it('the CLI replay of the history file, with the lists and snoozes the API answers, gives each subject its live score, zone and points', async () => {
    const rulesetPath = join(dir, 'ruleset.json');
    const listsPath = join(dir, 'lists.json');
    const snoozesPath = join(dir, 'snoozes.json');
    await writeFile(rulesetPath, JSON.stringify(RULESET));
    await writeFile(listsPath, JSON.stringify((await call('GET', '/api/lists')).body));
    await writeFile(snoozesPath, JSON.stringify((await call('GET', '/api/snoozes')).body));
    let text = '';
    const out = new Writable({ write: (chunk, _enc, done) => ((text += chunk.toString()), done()) });
    let errors = '';
    const err = new Writable({ write: (chunk, _enc, done) => ((errors += chunk.toString()), done()) });
    const code = await main(['replay', '--ruleset', rulesetPath, '--history', historyPath, '--shop', SHOP, '--lists', listsPath, '--snoozes', snoozesPath, '--baseline-as-of', new Date().toISOString()], out, err);
    expect(code, errors).toBe(0);
    const decisions = new Map(text.trim().split('\n').map((line) => JSON.parse(line) as Decision).map((d) => [d.subject.id, d]));
    // The history file's subjects: every stored decision but the live webhook orders'.
    const live = new Set(liveOrders.map((o) => o.id));
    expect(decisions.size).toBe(stored.length - live.size);
    for (const d of stored) {
      if (live.has(d.subject_id)) continue;
      const cli = decisions.get(d.subject_id)!;
      expect([cli.score, cli.zone], d.subject_id).toEqual([Number(d.score), d.zone]);
      expect(cli.signals.map(lineKey), d.subject_id).toEqual(d.trace.signals.map(lineKey));
    }
  }, 120_000);
});
