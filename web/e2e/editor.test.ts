import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, HAS_CHROMIUM, launchChromium, sendDemoWebhook, SHOTS, startDemoServer } from './harness.ts';
import type { RunningApp } from '../../server/main.ts';
import { readWebhookFixture } from '../../server/shopify/fixtures/readWebhookFixture.ts';

/**
 * The rule editor on the ruleset as stored (its `"$schema": "./schema/ruleset.schema.json"` line
 * included), in Chromium against the real server in demo mode: schema completion of a property
 * only the schema knows (no word of the document, so word completion cannot offer it), hover
 * docs from the schema and the signal catalog, and a JSON syntax error typed into the editor —
 * counted and marked, Save off with its reason, the live preview paused — then fixed.
 */

let app: RunningApp;
let server: DemoServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** The live ruleset editor, from Monaco's own list (never a disposed one). */
const LIVE_EDITOR = `(window.refundsentryMonaco.editor.getEditors().find((e) => e.getModel() && e.getModel().uri.toString() === 'inmemory://refundsentry/ruleset.json'))`;
type Marker = { owner: string; message: string; severity: number; startLineNumber: number; startColumn: number };
const editorText = () => page.evaluate(`${LIVE_EDITOR}.getModel().getValue()`) as Promise<string>;
/** Every marker on the ruleset model, whoever set it (the page, Monaco's JSON service). */
const markers = () => page.evaluate(`window.refundsentryMonaco.editor.getModelMarkers({ resource: ${LIVE_EDITOR}.getModel().uri })`) as Promise<Marker[]>;
const caretAt = (line: number, column: number) => page.evaluate(`(() => { const e = ${LIVE_EDITOR}; e.focus(); e.setPosition({ lineNumber: ${line}, column: ${column} }); e.revealLineInCenter(${line}); })()`);
/** The line (1-based) of the first line of `lines` containing `needle` at or after line `from`. */
const lineOf = (lines: string[], needle: string, from = 1) => lines.findIndex((l, i) => i + 1 >= from && l.includes(needle)) + 1;
/** The line (1-based) closing the object whose key opens line `open` (the next line at its indentation starting with "}"). */
const closingLine = (lines: string[], open: number) => {
  const indent = /^\s*/.exec(lines[open - 1]!)![0];
  return lineOf(lines.map((l) => (l.startsWith(`${indent}}`) ? '<close>' : l)), '<close>', open + 1);
};

beforeAll(async () => {
  server = await startDemoServer('editor', { DEMO_HISTORY: 'none' });
  ({ app } = server);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!HAS_CHROMIUM)('the rule editor on the ruleset as stored (Chromium, real server)', () => {
  it('completes a property only the schema knows and shows the schema\'s docs on hover, with the stored "$schema" line in place', async () => {
    // One decided order placed today, so the live preview has an event in its 90 days to re-weight.
    const order = readWebhookFixture('orders_create').replaceAll('2021-12-31T19:00:00-05:00', new Date().toISOString()).replace(/"cancelled_at": "[^"]*"/, '"cancelled_at": null');
    expect((await sendDemoWebhook(app, 'orders/create', order)).status).toBe(200);
    await expect
      .poll(async () => ((await (await fetch(`${app.url}/api/decisions?limit=1`)).json()) as { decisions: unknown[] }).decisions.length, { timeout: 30_000 })
      .toBe(1);
    await page.goto(`${app.url}/app/rules`);
    await page.locator('[data-testid="ruleset-editor"] .monaco-editor').waitFor();
    await page.waitForFunction(`Boolean(${LIVE_EDITOR})`);
    await page.locator('#problem-count', { hasText: 'No problems' }).waitFor();
    const text = await editorText();
    // The ruleset as stored: it names its schema by a relative path the browser cannot load.
    expect(text).toContain('"$schema": "./schema/ruleset.schema.json"');
    // A zone property only the schema knows: no word of the document, so word completion cannot offer it.
    expect(text).not.toContain('byKind');

    // Inside "zones", after its last property: the only property left to add is "byKind".
    const lines = text.split('\n');
    const zones = lineOf(lines, '"zones": {');
    const last = closingLine(lines, zones) - 1;
    expect(lines[last - 1]).toMatch(/^\s*"(medium|high)": \d+$/);
    await caretAt(last, lines[last - 1]!.length + 1);
    await page.keyboard.type(',');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"by', { delay: 60 });
    await page.keyboard.press('Control+Space');
    const row = page.locator('.suggest-widget .monaco-list-row', { hasText: 'byKind' }).first();
    await row.waitFor({ timeout: 10_000 }).catch(async (error) => {
      await shot('rules-schema-completion-failed');
      throw error;
    });
    // Offered as a property of the schema (word completion's rows are plain text).
    expect(await row.locator('.codicon-symbol-property').count()).toBe(1);
    // Its description from the schema, in the details beside the list. Ctrl+Space on an open list
    // toggles them, and typing may already have opened the list (quick suggestions) before the
    // first Ctrl+Space: so once the list is there, toggle them only if they are not shown yet.
    const details = page.locator('.suggest-details', { hasText: 'Per subject kind, where its zones start' });
    if (!(await page.locator('.suggest-details').isVisible())) await page.keyboard.press('Control+Space');
    await details.waitFor({ timeout: 10_000 }).catch(async (error) => {
      await shot('rules-schema-completion-failed');
      throw error;
    });
    await shot('rules-schema-completion');
    await page.keyboard.press('Enter');
    expect(await editorText()).toMatch(/"byKind": \{/);

    // Back to the text as stored: hover docs from the schema and from the signal catalog.
    await page.evaluate(`${LIVE_EDITOR}.getModel().setValue(${JSON.stringify(text)})`);
    await page.locator('#problem-count', { hasText: 'No problems' }).waitFor();
    await caretAt(zones, lines[zones - 1]!.indexOf('"zones"') + 3);
    await page.evaluate(`${LIVE_EDITOR}.getAction('editor.action.showHover').run()`);
    await page.locator('.monaco-hover', { hasText: 'Where the risk zones start' }).first().waitFor({ timeout: 10_000 });
    await shot('rules-schema-hover');
    await page.keyboard.press('Escape');
    const signalLine = lineOf(lines, '"customer.card-churn"');
    await caretAt(signalLine, lines[signalLine - 1]!.indexOf('customer.card-churn') + 3);
    await page.evaluate(`${LIVE_EDITOR}.getAction('editor.action.showHover').run()`);
    const signals = ((await (await fetch(`${app.url}/api/signals`)).json()) as { signals: { id: string; title: string }[] }).signals;
    const title = signals.find((s) => s.id === 'customer.card-churn')!.title;
    await page.locator('.monaco-hover', { hasText: `${title} — ` }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');

    // Nothing tried to load the "$schema" path: no marker says a schema could not be loaded.
    expect((await markers()).filter((m) => /schema/i.test(m.message) && /load/i.test(m.message))).toEqual([]);
  });

  it('counts and marks a JSON syntax error, turns Save off with the reason and pauses the preview; fixing it turns Save back on', async () => {
    await page.goto(`${app.url}/app/rules`);
    await page.locator('[data-testid="ruleset-editor"] .monaco-editor').waitFor();
    await page.waitForFunction(`Boolean(${LIVE_EDITOR})`);
    await page.locator('#problem-count', { hasText: 'No problems' }).waitFor();
    const save = page.getByRole('button', { name: 'Save as draft' });
    const preview = page.locator('[data-testid="instant-preview"]', { hasText: /\(1 events?\): HIGH \d+ → \d+/ });
    await preview.waitFor();
    expect(await save.isDisabled()).toBe(false);

    // Typed as a merchant would: the comma after the zones' first value deleted.
    const lines = (await editorText()).split('\n');
    // The first of the zones' two properties (the stored body's key order is the database's).
    const first = lineOf(lines, '"zones": {') + 1;
    expect(lines[first - 1]).toMatch(/^\s*"(medium|high)": \d+,$/);
    await caretAt(first, lines[first - 1]!.length + 1);
    await page.keyboard.press('Backspace');

    await page.locator('#problem-count', { hasText: /^[1-9]\d* problems?$/ }).waitFor();
    // Marked where it is: on the line after the missing comma (where a comma was expected).
    const marked = (await markers()).filter((m) => m.owner === 'refundsentry' && m.severity === 8);
    expect(marked.length).toBeGreaterThanOrEqual(1);
    expect(marked.some((m) => m.startLineNumber === first + 1 || m.startLineNumber === first), JSON.stringify(marked)).toBe(true);
    expect(Number(/^(\d+)/.exec(await page.locator('#problem-count').innerText())![1])).toBe(marked.length);
    // Save is off, and says why; the preview says it is paused instead of showing stale zones.
    expect(await save.isDisabled()).toBe(true);
    await page.getByTestId('save-blocked').getByText('Fix the JSON syntax to save', { exact: false }).waitFor();
    await page.getByTestId('preview-paused').getByText('paused until the JSON parses', { exact: false }).waitFor();
    expect(await page.locator('[data-testid="instant-preview"]').count()).toBe(0);
    // The problem in words, with its line and column: never a parser's raw message.
    const listed = await page.getByTestId('syntax-problems').innerText();
    expect(listed).toMatch(new RegExp(`Line ${first + 1}, column \\d+: `));
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/JSON at position|Unexpected token|Expected ',' or|CommaExpected|SyntaxError/);
    await shot('rules-syntax-error');

    // Put the comma back: no problems, Save on, the preview live again.
    await caretAt(first, lines[first - 1]!.length);
    await page.keyboard.type(',');
    await page.locator('#problem-count', { hasText: 'No problems' }).waitFor();
    await preview.waitFor();
    expect(await save.isDisabled()).toBe(false);
    expect(await page.getByTestId('preview-paused').count()).toBe(0);
    expect(await page.getByTestId('save-blocked').count()).toBe(0);
    expect((await markers()).filter((m) => m.severity === 8)).toEqual([]);
    await shot('rules-syntax-fixed');
  });
});
