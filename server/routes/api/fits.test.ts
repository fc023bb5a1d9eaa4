import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../../engine/index.ts';
import { calibrate, riskOf, type CalibrationBand } from '../../../engine/chargebacks/calibration.ts';
import { generateShop } from '../../../scenarios/generateShop.ts';
import { builtinSignals } from '../../../signals/index.ts';
import { FitService } from '../../services/FitService.ts';
import { LabelService } from '../../services/LabelService.ts';
import { RulesetService } from '../../services/RulesetService.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

/**
 * Fitting end to end on a generated shop's year, backfilled from its history file: chargebacks
 * and double dips as Shopify reports them, the merchant labelling the abusive returns the
 * generator planted (through the API), aging inference for the rest. POST /api/rulesets/fit → a
 * job in the trial thread → a draft version with its report; then the draft's held-out
 * calibration on a decision once published, and weight suggestions as explained proposals.
 */
const SHOP = 'fits.myshopify.com';
const DAY = 86_400_000;
const now = Date.now();
const shop = generateShop({ seed: 11, customers: 160, start: new Date(now - 364 * DAY).toISOString().slice(0, 10), days: 330 });
let app: TestApp;
let dir: string;
let asOf: string;

async function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
  const response = await app.server.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${await app.sessionToken(SHOP)}` } });
  return { status: response.statusCode, body: response.headers['content-type']?.toString().includes('json') ? JSON.parse(response.payload) : response.payload };
}

async function untilSettled(id: string) {
  return app.waitFor(async () => {
    const fit = (await call('GET', `/api/fits/${id}`)).body;
    return fit.status === 'running' || fit.status === 'cancelling' ? undefined : fit;
  }, `fit ${id}`, 90_000);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-fits-'));
  const path = join(dir, 'history.jsonl');
  await writeFile(path, shop.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  app = await startTestApp();
  await app.installShop(SHOP, { ...DEFAULT_RULESET, actions: [] });
  await app.backfill.start(SHOP, { kind: 'file', path }, { days: 365, to: new Date(now).toISOString() });
  await app.waitFor(async () => (await app.backfill.progress(SHOP)).status === 'done', 'the backfill', 90_000);
  // The merchant labels the abusive returns (wardrobing, bracketing, serial returning) as fraud.
  const abusive = shop.labels.filter((l) => l.kind === 'return' && l.target && l.pattern !== 'double-dipper');
  for (const label of abusive) {
    const decision = await app.stores.decisions.bySubject(SHOP, label.subjectId);
    if (!decision) continue;
    expect((await call('POST', `/api/decisions/${decision.id}/outcome`, { label: 'fraud', note: label.pattern })).status).toBe(200);
  }
  asOf = new Date(Date.now() + 1000).toISOString();
  await new Promise((resolve) => setTimeout(resolve, 1100)); // asOf must not be in the future when asked
}, 180_000);
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('fitting a ruleset version to the shop\'s labels', () => {
  it('runs as a job with progress and ends in a draft version (never published) with its report beside it', async () => {
    const counts = (await call('GET', `/api/labels?asOf=${encodeURIComponent(asOf)}`)).body;
    expect(counts.kinds.return).toMatchObject({ fittable: true });
    expect(counts.kinds.return.bySource.merchant.positive).toBeGreaterThanOrEqual(20);
    expect(counts.kinds.order.fittable).toBe(false); // a handful of fraud chargebacks and double dips only
    const started = await call('POST', '/api/rulesets/fit', { asOf });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', progress: 0, fittedFrom: 1, draftVersion: null, labels: { kinds: { return: { fittable: true } } } });
    const fit = await untilSettled(started.body.id);
    expect(fit, JSON.stringify(fit.error)).toMatchObject({ status: 'done', progress: 1, draftVersion: 2, error: null });
    expect(fit.report.split.mode).toMatch(/^(time|customer)$/);
    const fitted = fit.report.kinds.find((k: { kind: string }) => k.kind === 'return');
    expect(Object.keys(fitted.weights).length).toBeGreaterThan(5);
    expect(fit.report.kinds.find((k: { kind: string }) => k.kind === 'order')).toMatchObject({ refused: expect.any(String) });
    expect(fit.report.heldOut.return.fitted.calibration).toHaveLength(10);

    // The draft: the live body with the return weights and zones fitted, and the report as its note.
    const draft = (await call('GET', '/api/rulesets/2')).body;
    expect(draft).toMatchObject({ version: 2, status: 'draft', madeBy: { kind: 'fit', from: 1, fitId: fit.id } });
    expect(draft.note).toMatchObject({ kind: 'fit', fitId: fit.id, fittedFrom: 1, asOf, options: { asOf } });
    expect(draft.note.report).toEqual(fit.report);
    expect(draft.body.zones.byKind.return).toEqual(fitted.zones);
    for (const [id, weight] of Object.entries(fitted.weights)) expect(draft.body.signals[id].weightByKind.return, id).toBe(weight);
    expect(draft.body.zones.byKind.order).toBeUndefined();
    // Nothing published by itself.
    const versions = (await call('GET', '/api/rulesets')).body.versions;
    expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, 'draft'], [1, 'published']]);
    const audit = await app.stores.audit.list(SHOP);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['ruleset.fit', 'ruleset.fit.draft']));
  });

  it('gives the same draft body for the same input', async () => {
    const again = await call('POST', '/api/rulesets/fit', { asOf });
    const fit = await untilSettled(again.body.id);
    expect(fit.status).toBe('done');
    const [first, second] = await Promise.all([call('GET', '/api/rulesets/2'), call('GET', `/api/rulesets/${fit.draftVersion}`)]);
    expect(fit.draftVersion).toBe(3);
    expect({ ...second.body.body, version: 0 }).toEqual({ ...first.body.body, version: 0 });
    expect(second.body.note.report).toEqual(first.body.note.report);
    const list = (await call('GET', '/api/fits')).body.fits;
    expect(list.map((f: { id: string }) => f.id).slice(0, 2)).toEqual([fit.id, String(Number(fit.id) - 1)]);
    expect(list[0].report).toBeUndefined();
  });

  it('stops a fit the merchant cancels, with no draft; refuses unknown fits', async () => {
    const service = new FitService(app.stores, new RulesetService(app.stores, createRegistry(builtinSignals)), new LabelService(app.stores), async () => {});
    const row = await service.start(SHOP, { asOf }, 'test');
    const cancelled = await call('POST', `/api/fits/${row.id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelling' });
    await service.run(SHOP, row.id);
    expect((await call('GET', `/api/fits/${row.id}`)).body).toMatchObject({ status: 'cancelled', draftVersion: null, report: null });
    expect((await call('POST', `/api/fits/${row.id}/cancel`)).body).toMatchObject({ statusCode: 409, message: 'The fit is cancelled; only a running one can be cancelled' });
    expect((await call('POST', '/api/fits/999999/cancel')).body).toMatchObject({ statusCode: 404, message: 'No such fit in this shop' });
    expect((await app.stores.audit.list(SHOP)).filter((a) => a.action === 'ruleset.fit.cancel').map((a) => [a.subject, a.details.fit])).toEqual([[`v${row.against_version}`, row.id]]);
    expect((await call('GET', '/api/fits/999999')).status).toBe(404);
    expect((await call('GET', '/api/fits/abc')).status).toBe(400);
    expect(Number((await app.stores.db('rulesets').where({ shop_id: SHOP }).count('* as n').first())!.n)).toBe(3);
  });

  it("once published, a fitted version's figures come from its held-out calibration until it has outcomes of its own", async () => {
    expect((await call('POST', '/api/rulesets/2/publish')).status).toBe(200);
    // A new return of an earlier order arrives: decided by version 2.
    const request = shop.deliveries.filter((d) => d.topic === 'returns/request').at(-1)!;
    const body = { ...request.body, id: 99_999_001, admin_graphql_api_id: 'gid://shopify/Return/99999001' };
    expect((await app.webhook('returns/request', JSON.stringify(body), { shop: SHOP })).statusCode).toBe(200);
    const decision = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, 'gid://shopify/Return/99999001'), 'the return decision');
    expect(decision.ruleset_version).toBe(2);
    const detail = (await call('GET', `/api/decisions/${decision.id}`)).body;
    const heldOut = ((await call('GET', '/api/rulesets/2')).body.note.report.heldOut.return.fitted.calibration) as CalibrationBand[];
    const expected = riskOf(calibrate([], { version: 2, kind: 'return', heldOut }), Number(decision.score));
    expect(detail.risk).toEqual(expected);
    expect(detail.risk.version).toBe(2);
    if (detail.risk.basis) {
      expect(detail.risk.basis.source).toBe('held-out');
      expect(detail.risk.explanation).toMatch(/chance of fraud, from the fit behind ruleset v2: of the \d+ held-out returns it scored/);
    } else expect(detail.risk.explanation).toMatch(/^Not enough outcomes yet/);
    // Some band of the fitted version has a figure from the held-out part.
    const calibrated = calibrate([], { version: 2, kind: 'return', heldOut });
    expect(calibrated.bands.some((b) => b.basis?.source === 'held-out')).toBe(true);
  });
});

describe('weight suggestions as explained proposals', () => {
  it('gives each proposal the labels behind it, its evidence in words and a preview of what accepting it changes', async () => {
    const { status, body } = await call('GET', '/api/suggestions?days=365');
    expect(status).toBe(200);
    expect(body.version).toBe(2);
    const counts = (await call('GET', '/api/labels')).body.kinds;
    const settled = (k: 'order' | 'return' | 'refund') => counts[k].positive + counts[k].negative;
    expect(body.labelled).toBe(settled('order') + settled('return') + settled('refund'));
    expect(body.fraud).toBe(counts.order.positive + counts.return.positive + counts.refund.positive);
    expect(body.suggestions.length).toBeGreaterThan(0);
    const total = (xs: Record<string, number>) => Object.values(xs).reduce((s, n) => s + n, 0);
    for (const s of body.suggestions) {
      expect(total(s.behind.fraud)).toBe(s.fraudWhenFired);
      expect(total(s.behind.legit)).toBe(s.support - s.fraudWhenFired);
      expect(s.evidence).toMatch(new RegExp(`^It fired on ${s.support.toLocaleString("en")} (order, return or refund|orders, returns and refunds) whose outcome is known: ${s.fraudWhenFired} fraud`));
      expect(s.evidence).toMatch(new RegExp(`weight from ${s.currentWeight} to ${s.suggestedWeight}`));
      const { window, labelled } = s.preview;
      expect(window.before.low + window.before.medium + window.before.high).toBe(window.subjects);
      expect(window.after.low + window.after.medium + window.after.high).toBe(window.subjects);
      expect(labelled.fraud + labelled.legit).toBe(body.labelled);
    }
    // The preview is the editor's re-weighting: the same body previewed gives the same zones.
    const first = body.suggestions[0];
    const live = (await call('GET', '/api/rulesets/2')).body.body;
    const changed = { ...live, signals: { ...live.signals, [first.signalId]: { ...live.signals[first.signalId], weight: first.suggestedWeight } } };
    const preview = await call('POST', '/api/rulesets/preview', { body: changed, days: 365 });
    expect(preview.body.mode).toBe('reweighted');
    expect(first.preview.window.after).toEqual(preview.body.preview);
    // "Before" is the live version (v2, published after the history was decided by v1) re-weighing the same results.
    expect(first.preview.window.before).toEqual((await call('POST', '/api/rulesets/preview', { body: live, days: 365 })).body.preview);
    // Caught and false alarms before: the labelled subjects' zones under the live weights.
    expect(body.preview.labelled.high.caught.before).toBe(first.preview.labelled.high.caught.before);
  });

  it('turns the chosen proposals into a draft version in one call', async () => {
    const list = (await call('GET', '/api/suggestions?days=365')).body;
    const chosen = list.suggestions.slice(0, 2);
    const accepted = await call('POST', '/api/suggestions/accept', { signalIds: chosen.map((s: { signalId: string }) => s.signalId), days: 365 });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(accepted.body.status).toBe('draft');
    for (const s of chosen) expect(accepted.body.body.signals[s.signalId].weight).toBe(s.suggestedWeight);
    const draft = (await call('GET', `/api/rulesets/${accepted.body.version}`)).body;
    expect(draft.note).toMatchObject({ kind: 'suggestions', fittedFrom: 2, accepted: chosen.map(({ preview: _p, ...rest }: Record<string, unknown>) => rest) });
    expect(draft.madeBy).toMatchObject({ kind: 'suggestions', from: 2 });
    expect((await app.stores.audit.list(SHOP)).find((a) => a.action === 'suggestions.accept')).toMatchObject({ subject: `v${accepted.body.version}` });
    const unknown = await call('POST', '/api/suggestions/accept', { signalIds: ['order.no-such-signal'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/order\.no-such-signal/);
    expect((await call('POST', '/api/suggestions/accept', { signalIds: [] })).status).toBe(400);
  });
});
