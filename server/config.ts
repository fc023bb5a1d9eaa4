import { availableParallelism } from 'node:os';
import { Ajv } from 'ajv';
import { resolve } from 'node:path';

/**
 * Configuration from the environment, validated once at start-up: every problem is reported in
 * one message, and nothing starts with a half-valid configuration. Without Shopify credentials
 * the app runs in demo mode: one local demo shop, webhooks signed with a local secret.
 */
export interface Config {
  host: string;
  port: number;
  /** Set: use this PostgreSQL. Unset: start the embedded PostgreSQL in `dataDir/postgres`. */
  databaseUrl?: string;
  embeddedPostgresPort: number;
  /**
   * Load pg_stat_statements into the embedded PostgreSQL (`EMBEDDED_PG_STATEMENT_STATS=1`): per
   * statement call counts and times, for profiling (`npm run bench:webhooks -- … --statements`).
   */
  embeddedPostgresStatementStats: boolean;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  shopify: {
    apiKey: string;
    apiSecret: string;
    appUrl: string;
    scopes: string[];
    apiVersion: '2026-07';
    /** Where Admin API calls go; `https://{shop}` unless pointed at a test double. */
    adminOrigin?: string;
  };
  /** True when no Shopify credentials are set. */
  demoMode: boolean;
  /**
   * `NODE_ENV=production`: what only a production server refuses (an alert webhook URL that
   * resolves to a loopback, private or link-local address). Demo mode and tests are not production.
   */
  production: boolean;
  demoShop: string;
  /** Demo mode: backfill the demo shop on first start from a generated labelled history (`DEMO_HISTORY=generated`, the default), or leave it empty (`none`). */
  demoHistory: 'generated' | 'none';
  /** Customers in the generated demo history (`DEMO_CUSTOMERS`, default 400; tests use fewer). */
  demoCustomers: number;
  /** `threads`: worker threads verifying and normalizing webhooks (`WEBHOOK_THREADS`; 0: on the main thread). */
  webhook: { maxBytes: number; staleAfterHours: number; threads: number };
  /**
   * Signal plugins to load at start (`PLUGINS`, comma-separated: directories, absolute or
   * relative to the working directory, or installed package names), each in its own worker with
   * a per-call time budget (`PLUGIN_TIME_BUDGET_MS`, default 100) and heap limit (`PLUGIN_MEMORY_MB`, default 64).
   */
  plugins: { specs: string[]; timeBudgetMs: number; memoryMb: number };
  /**
   * Optional LLM that refines the names of return-reason clusters (`LLM_BASE_URL` of an
   * OpenAI-compatible API, e.g. http://localhost:11434/v1; `LLM_MODEL`; `LLM_API_KEY` if it needs
   * one; `LLM_TIMEOUT_MS`, default 8000). Unset: the offline names stand.
   */
  llm: { baseUrl: string; apiKey?: string; model: string; timeoutMs: number } | null;
  /**
   * Optional SMTP server for email alerts (`SMTP_URL`, e.g. smtp://user:password@smtp.example.com:587
   * or smtps://…:465; `SMTP_FROM`, the sender address). Unset: alert rules can post to webhooks only.
   */
  smtp: { url: string; from: string } | null;
  /**
   * What a shop's custom expressions and trials may use (issue 19): steps of all the custom
   * expressions of one decision (`EXPRESSION_DECISION_STEPS`, default 100,000), of one preview
   * (`PREVIEW_STEPS`, default 20,000,000) and of one simulation (`SIMULATION_STEPS`, default
   * 5,000,000,000); wall time of a preview (`PREVIEW_TIMEOUT_MS`, default 20,000) and of a
   * simulation (`SIMULATION_TIMEOUT_MS`, default 1,800,000) and of a fit (`FIT_TIMEOUT_MS`,
   * default 600,000); a trial thread's heap (`TRIAL_MEMORY_MB`, default 1536).
   */
  budgets: { decisionSteps: number; previewSteps: number; simulationSteps: number; previewTimeoutMs: number; simulationTimeoutMs: number; fitTimeoutMs: number; trialMemoryMb: number };
}

const ENV_SCHEMA = {
  type: 'object',
  properties: {
    HOST: { type: 'string', minLength: 1 },
    PORT: { type: 'string', pattern: '^[0-9]{1,5}$' },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    EMBEDDED_PG_PORT: { type: 'string', pattern: '^[0-9]{1,5}$' },
    DATA_DIR: { type: 'string', minLength: 1 },
    LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    SHOPIFY_API_KEY: { type: 'string', minLength: 1 },
    SHOPIFY_API_SECRET: { type: 'string', minLength: 1 },
    SHOPIFY_APP_URL: { type: 'string', pattern: '^https?://' },
    SHOPIFY_SCOPES: { type: 'string', pattern: '^[a-z_]+(,[a-z_]+)*$' },
    SHOPIFY_ADMIN_ORIGIN: { type: 'string', pattern: '^https?://' },
    DEMO_SHOP: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*\\.myshopify\\.com$' },
    DEMO_WEBHOOK_SECRET: { type: 'string', minLength: 8 },
    DEMO_HISTORY: { enum: ['generated', 'none'] },
    DEMO_CUSTOMERS: { type: 'string', pattern: '^[0-9]{1,5}$' },
    WEBHOOK_MAX_BYTES: { type: 'string', pattern: '^[0-9]+$' },
    WEBHOOK_STALE_AFTER_HOURS: { type: 'string', pattern: '^[0-9]+$' },
    WEBHOOK_THREADS: { type: 'string', pattern: '^[0-9]{1,2}$' },
    EMBEDDED_PG_STATEMENT_STATS: { enum: ['0', '1'] },
    PLUGINS: { type: 'string', pattern: '^[^,]+(,[^,]+)*$' },
    PLUGIN_TIME_BUDGET_MS: { type: 'string', pattern: '^[0-9]{1,5}$' },
    PLUGIN_MEMORY_MB: { type: 'string', pattern: '^[0-9]{1,5}$' },
    LLM_BASE_URL: { type: 'string', pattern: '^https?://' },
    LLM_API_KEY: { type: 'string', minLength: 1 },
    LLM_MODEL: { type: 'string', minLength: 1, maxLength: 200 },
    LLM_TIMEOUT_MS: { type: 'string', pattern: '^[0-9]{1,6}$' },
    SMTP_URL: { type: 'string', pattern: '^smtps?://[^\\s]+$', maxLength: 2048 },
    SMTP_FROM: { type: 'string', minLength: 3, maxLength: 254 },
    EXPRESSION_DECISION_STEPS: { type: 'string', pattern: '^[0-9]{1,9}$' },
    PREVIEW_STEPS: { type: 'string', pattern: '^[0-9]{1,12}$' },
    SIMULATION_STEPS: { type: 'string', pattern: '^[0-9]{1,13}$' },
    PREVIEW_TIMEOUT_MS: { type: 'string', pattern: '^[0-9]{1,7}$' },
    SIMULATION_TIMEOUT_MS: { type: 'string', pattern: '^[0-9]{1,8}$' },
    FIT_TIMEOUT_MS: { type: 'string', pattern: '^[0-9]{1,8}$' },
    TRIAL_MEMORY_MB: { type: 'string', pattern: '^[0-9]{1,5}$' },
    NODE_ENV: { type: 'string', maxLength: 40 },
  },
} as const;

const validateEnv = new Ajv({ allErrors: true, strict: false }).compile(ENV_SCHEMA);

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`RefundSentry cannot start: the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The interfaces demo mode may listen on: loopback only. */
export const DEMO_HOSTS = ['127.0.0.1', 'localhost', '::1'];

const DEFAULT_SCOPES = 'read_orders,read_customers,write_customers,read_returns,read_fulfillments,write_merchant_managed_fulfillment_orders,write_third_party_fulfillment_orders,read_shopify_payments_disputes,write_orders';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const relevant = Object.fromEntries(Object.keys(ENV_SCHEMA.properties).filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  if (!validateEnv(relevant)) {
    for (const e of validateEnv.errors ?? []) {
      const name = e.instancePath.slice(1);
      problems.push(`${name}=${name === 'SMTP_URL' ? '(not shown: it may hold a password)' : JSON.stringify(relevant[name])} ${e.keyword === 'pattern' ? `is not in the expected form (${hint(name)})` : e.message}`);
    }
  }
  const hasKey = relevant.SHOPIFY_API_KEY !== undefined;
  const hasSecret = relevant.SHOPIFY_API_SECRET !== undefined;
  if (hasKey !== hasSecret) problems.push('set both SHOPIFY_API_KEY and SHOPIFY_API_SECRET, or neither (demo mode)');
  if (hasKey && relevant.SHOPIFY_APP_URL === undefined) problems.push('SHOPIFY_APP_URL is required with Shopify credentials (the public https URL of this app)');
  const port = Number(relevant.PORT ?? 3000);
  if (port < 0 || port > 65535) problems.push(`PORT=${port} must be between 0 (any free port) and 65535`);
  const demoCustomers = Number(relevant.DEMO_CUSTOMERS ?? 400);
  if (demoCustomers < 10 || demoCustomers > 5000) problems.push(`DEMO_CUSTOMERS=${demoCustomers} must be between 10 and 5000`);
  const pluginBudget = Number(relevant.PLUGIN_TIME_BUDGET_MS ?? 100);
  if (pluginBudget < 1 || pluginBudget > 10_000) problems.push(`PLUGIN_TIME_BUDGET_MS=${pluginBudget} must be between 1 and 10000 (ms per signal call)`);
  const pluginMemory = Number(relevant.PLUGIN_MEMORY_MB ?? 64);
  if (pluginMemory < 16 || pluginMemory > 4096) problems.push(`PLUGIN_MEMORY_MB=${pluginMemory} must be between 16 and 4096`);
  const llmTimeout = Number(relevant.LLM_TIMEOUT_MS ?? 8000);
  if (llmTimeout < 100 || llmTimeout > 120_000) problems.push(`LLM_TIMEOUT_MS=${llmTimeout} must be between 100 and 120000`);
  if (relevant.LLM_BASE_URL === undefined && (relevant.LLM_MODEL !== undefined || relevant.LLM_API_KEY !== undefined)) problems.push('LLM_MODEL and LLM_API_KEY need LLM_BASE_URL (the OpenAI-compatible API, e.g. http://localhost:11434/v1)');
  if ((relevant.SMTP_URL === undefined) !== (relevant.SMTP_FROM === undefined)) problems.push('set both SMTP_URL and SMTP_FROM (the sender address of email alerts), or neither');
  if (relevant.LLM_BASE_URL !== undefined && relevant.LLM_MODEL === undefined) problems.push('LLM_BASE_URL needs LLM_MODEL (the model name the endpoint serves)');
  // Demo mode's admin API answers without a session token: it must never be reachable from
  // another machine (issue 19). The request guard (auth/demoGuard.ts) checks the Host header too.
  if (!hasKey && relevant.HOST !== undefined && !DEMO_HOSTS.includes(relevant.HOST)) {
    problems.push(`HOST=${JSON.stringify(relevant.HOST)}: demo mode (no Shopify credentials) listens on loopback only (${DEMO_HOSTS.join(', ').replace(/, ([^,]+)$/, ' or $1')}): its admin API answers without a session token; unset HOST, or set the Shopify credentials`);
  }
  const budget = (name: string, fallback: number, min: number, max: number, unit: string): number => {
    const value = Number(relevant[name] ?? fallback);
    if (value < min || value > max) problems.push(`${name}=${value} must be between ${min} and ${max} (${unit})`);
    return value;
  };
  const budgets = {
    decisionSteps: budget('EXPRESSION_DECISION_STEPS', 100_000, 1_000, 100_000_000, 'expression steps per decision'),
    previewSteps: budget('PREVIEW_STEPS', 20_000_000, 1_000, 1e12, 'expression steps per preview'),
    simulationSteps: budget('SIMULATION_STEPS', 5_000_000_000, 1_000, 1e13, 'expression steps per simulation'),
    previewTimeoutMs: budget('PREVIEW_TIMEOUT_MS', 20_000, 100, 600_000, 'ms'),
    simulationTimeoutMs: budget('SIMULATION_TIMEOUT_MS', 1_800_000, 1_000, 3_500_000, 'ms; pg-boss expires the job after an hour'),
    fitTimeoutMs: budget('FIT_TIMEOUT_MS', 600_000, 1_000, 3_500_000, 'ms; pg-boss expires the job after an hour'),
    trialMemoryMb: budget('TRIAL_MEMORY_MB', 1_536, 64, 65_536, 'MB of heap per trial thread'),
  };
  if (problems.length > 0) throw new ConfigError(problems);

  const demoMode = !hasKey;
  const dataDir = resolve(relevant.DATA_DIR ?? '.data');
  const host = relevant.HOST ?? '127.0.0.1';
  return {
    host,
    port,
    databaseUrl: relevant.DATABASE_URL,
    embeddedPostgresPort: Number(relevant.EMBEDDED_PG_PORT ?? 54329),
    embeddedPostgresStatementStats: relevant.EMBEDDED_PG_STATEMENT_STATS === '1',
    dataDir,
    logLevel: (relevant.LOG_LEVEL as Config['logLevel']) ?? 'info',
    shopify: {
      apiKey: relevant.SHOPIFY_API_KEY ?? 'demo-api-key',
      apiSecret: relevant.SHOPIFY_API_SECRET ?? relevant.DEMO_WEBHOOK_SECRET ?? 'refundsentry-demo-secret',
      appUrl: relevant.SHOPIFY_APP_URL ?? `http://${host}:${port}`,
      scopes: (relevant.SHOPIFY_SCOPES ?? DEFAULT_SCOPES).split(','),
      apiVersion: '2026-07',
      adminOrigin: relevant.SHOPIFY_ADMIN_ORIGIN,
    },
    demoMode,
    production: relevant.NODE_ENV === 'production',
    demoShop: relevant.DEMO_SHOP ?? 'demo.myshopify.com',
    demoHistory: (relevant.DEMO_HISTORY as Config['demoHistory']) ?? 'generated',
    demoCustomers,
    webhook: {
      maxBytes: Number(relevant.WEBHOOK_MAX_BYTES ?? 1_048_576),
      staleAfterHours: Number(relevant.WEBHOOK_STALE_AFTER_HOURS ?? 48),
      // One thread per core beyond the first (the main thread's), at least one and at most four.
      threads: Number(relevant.WEBHOOK_THREADS ?? Math.min(4, Math.max(1, availableParallelism() - 1))),
    },
    plugins: {
      specs: (relevant.PLUGINS ?? '').split(',').map((spec) => spec.trim()).filter(Boolean),
      timeBudgetMs: pluginBudget,
      memoryMb: pluginMemory,
    },
    llm: relevant.LLM_BASE_URL
      ? { baseUrl: relevant.LLM_BASE_URL.replace(/\/+$/, ''), model: relevant.LLM_MODEL!, timeoutMs: llmTimeout, ...(relevant.LLM_API_KEY ? { apiKey: relevant.LLM_API_KEY } : {}) }
      : null,
    smtp: relevant.SMTP_URL && relevant.SMTP_FROM ? { url: relevant.SMTP_URL, from: relevant.SMTP_FROM } : null,
    budgets,
  };
}

function hint(name: string): string {
  if (name === 'DATABASE_URL') return 'postgres://user:password@host:5432/database';
  if (name === 'SMTP_URL') return 'smtp://user:password@host:587 or smtps://user:password@host:465';
  if (name.endsWith('PORT')) return 'a port number';
  if (name.endsWith('URL') || name.endsWith('ORIGIN')) return 'an http(s) URL';
  if (name === 'SHOPIFY_SCOPES') return 'comma-separated scopes, e.g. read_orders,write_customers';
  if (name === 'DEMO_SHOP') return 'name.myshopify.com';
  if (name === 'PLUGINS') return 'comma-separated plugin directories or package names, e.g. ./plugins/acme,@acme/refundsentry-signals';
  if (name.startsWith('PLUGIN_') || name === 'LLM_TIMEOUT_MS' || name === 'WEBHOOK_THREADS' || /_(STEPS|MS|MB)$/.test(name)) return 'a whole number';
  return 'see README';
}
