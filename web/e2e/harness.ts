import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startRefundSentry, type RunningApp } from '../../server/main.ts';
import { signedWebhookHeaders } from '../../server/testing/signedWebhookHeaders.ts';
import { createTestDatabase, type TestDatabase } from '../../server/testing/testDatabase.ts';
import { buildAdmin } from '../build.ts';

/** What the browser tests share: Debian's Chromium, the real server in demo mode, signed webhooks. */
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Screenshots of the browser tests (git-ignored): look at them. */
export const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

/** Debian's Chromium, headless, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export interface DemoServer {
  db: TestDatabase;
  dataDir: string;
  app: RunningApp;
  /** Stops the server, drops its database and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * The real server as `npm start` runs it in demo mode (the admin built if stale), on a fresh test
 * database and data folder; `env` adds to or overrides the defaults (e.g. `DEMO_HISTORY: 'none'`).
 */
export async function startDemoServer(name: string, env: NodeJS.ProcessEnv = {}): Promise<DemoServer> {
  await buildAdmin({ ifStale: true });
  await mkdir(SHOTS, { recursive: true });
  const db = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), `refundsentry-${name}-`));
  await chmod(dataDir, 0o755); // the embedded PostgreSQL's own user reads it
  const app = await startRefundSentry({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  return {
    db,
    dataDir,
    app,
    async stop() {
      await app.stop();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A webhook to the demo shop, signed with the demo secret as Shopify signs them. */
export function sendDemoWebhook(app: RunningApp, topic: string, body: string): Promise<Response> {
  return fetch(`${app.url}/webhooks`, {
    method: 'POST',
    body,
    headers: signedWebhookHeaders(body, { secret: 'refundsentry-demo-secret', topic, shop: app.config.demoShop }),
  });
}
