import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('runs in demo mode with embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ demoMode: true, port: 3000, host: '127.0.0.1', demoShop: 'demo.myshopify.com', databaseUrl: undefined });
    expect(config.shopify.apiVersion).toBe('2026-07');
  });

  it('uses Shopify credentials and DATABASE_URL when given', () => {
    const config = loadConfig({ SHOPIFY_API_KEY: 'k', SHOPIFY_API_SECRET: 's', SHOPIFY_APP_URL: 'https://app.example.com', DATABASE_URL: 'postgres://u:p@db:5432/rs', PORT: '8080' });
    expect(config).toMatchObject({ demoMode: false, port: 8080, databaseUrl: 'postgres://u:p@db:5432/rs' });
    expect(config.shopify.appUrl).toBe('https://app.example.com');
  });

  it('reads the plugins to load and their limits, and refuses bad ones', () => {
    expect(loadConfig({}).plugins).toEqual({ specs: [], timeBudgetMs: 100, memoryMb: 64 });
    expect(loadConfig({ PLUGINS: './plugins/acme, @acme/refundsentry-signals', PLUGIN_TIME_BUDGET_MS: '250', PLUGIN_MEMORY_MB: '128' }).plugins).toEqual({
      specs: ['./plugins/acme', '@acme/refundsentry-signals'],
      timeBudgetMs: 250,
      memoryMb: 128,
    });
    expect(() => loadConfig({ PLUGINS: 'a,,b', PLUGIN_TIME_BUDGET_MS: '0', PLUGIN_MEMORY_MB: '8' })).toThrow(
      /PLUGINS="a,,b" is not in the expected form \(comma-separated plugin directories or package names[\s\S]*PLUGIN_TIME_BUDGET_MS=0 must be between 1 and 10000[\s\S]*PLUGIN_MEMORY_MB=8 must be between 16 and 4096/,
    );
  });

  it('reads the optional SMTP server of email alerts, refuses half of it, and never prints its URL', () => {
    expect(loadConfig({}).smtp).toBeNull();
    expect(loadConfig({ SMTP_URL: 'smtps://alerts:pw@smtp.example.com:465', SMTP_FROM: 'RefundSentry <alerts@example.com>' }).smtp).toEqual({ url: 'smtps://alerts:pw@smtp.example.com:465', from: 'RefundSentry <alerts@example.com>' });
    expect(() => loadConfig({ SMTP_URL: 'smtp://smtp.example.com:587' })).toThrow(/set both SMTP_URL and SMTP_FROM/);
    let message = '';
    try {
      loadConfig({ SMTP_URL: 'http://alerts:secret-pw@smtp.example.com', SMTP_FROM: 'a@example.com' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SMTP_URL=\(not shown: it may hold a password\) is not in the expected form \(smtp:\/\/user:password@host:587 or smtps:\/\/user:password@host:465\)/);
    expect(message).not.toContain('secret-pw');
  });

  it('is production only with NODE_ENV=production (alert webhooks then go to public addresses only)', () => {
    expect(loadConfig({}).production).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).production).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SHOPIFY_API_KEY: 'k', SHOPIFY_API_SECRET: 's', SHOPIFY_APP_URL: 'https://app.example.com' }).production).toBe(true);
  });

  it('reads the optional LLM for reason labels, and refuses half a configuration', () => {
    expect(loadConfig({}).llm).toBeNull();
    expect(loadConfig({ LLM_BASE_URL: 'http://localhost:11434/v1/', LLM_MODEL: 'llama3.2' }).llm).toEqual({ baseUrl: 'http://localhost:11434/v1', model: 'llama3.2', timeoutMs: 8000 });
    expect(loadConfig({ LLM_BASE_URL: 'https://api.example.com/v1', LLM_MODEL: 'm', LLM_API_KEY: 'sk-1', LLM_TIMEOUT_MS: '2500' }).llm).toEqual({ baseUrl: 'https://api.example.com/v1', model: 'm', apiKey: 'sk-1', timeoutMs: 2500 });
    expect(() => loadConfig({ LLM_MODEL: 'm' })).toThrow(/LLM_MODEL and LLM_API_KEY need LLM_BASE_URL/);
    expect(() => loadConfig({ LLM_BASE_URL: 'http://x' })).toThrow(/LLM_BASE_URL needs LLM_MODEL/);
    expect(() => loadConfig({ LLM_BASE_URL: 'ftp://x', LLM_MODEL: 'm', LLM_TIMEOUT_MS: '5' })).toThrow(/LLM_BASE_URL="ftp:\/\/x" is not in the expected form \(an http\(s\) URL\)[\s\S]*LLM_TIMEOUT_MS=5 must be between 100 and 120000/);
  });

  it('reads the webhook threads and the statement-stats switch, and refuses malformed values', () => {
    expect(loadConfig({ WEBHOOK_THREADS: '0' }).webhook.threads).toBe(0);
    expect(loadConfig({ WEBHOOK_THREADS: '3' }).webhook.threads).toBe(3);
    expect(loadConfig({}).webhook.threads).toBeGreaterThanOrEqual(1);
    expect(loadConfig({}).embeddedPostgresStatementStats).toBe(false);
    expect(loadConfig({ EMBEDDED_PG_STATEMENT_STATS: '1' }).embeddedPostgresStatementStats).toBe(true);
    expect(() => loadConfig({ WEBHOOK_THREADS: 'two', EMBEDDED_PG_STATEMENT_STATS: 'yes' })).toThrow(
      /WEBHOOK_THREADS="two" is not in the expected form \(a whole number\)[\s\S]*EMBEDDED_PG_STATEMENT_STATS="yes" must be equal to one of the allowed values/,
    );
  });

  it('demo mode listens on loopback only: another HOST is refused at start, in the one message (issue 19)', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(loadConfig({ HOST: host }).host).toBe(host);
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'example.com', '127.0.0.1.evil.example', 'localhost.evil']) {
      expect(() => loadConfig({ HOST: host }), host).toThrow(/demo mode .*loopback only/);
    }
    try {
      loadConfig({ HOST: '0.0.0.0', PORT: 'eighty' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems, message } = error as ConfigError;
      expect(problems).toHaveLength(2);
      expect(message).toMatch(/HOST="0\.0\.0\.0": demo mode \(no Shopify credentials\) listens on loopback only .*127\.0\.0\.1, localhost or ::1/);
      expect(message).toMatch(/PORT="eighty"/);
    }
    // With Shopify credentials the session token guards the API: any interface will do.
    expect(loadConfig({ HOST: '0.0.0.0', SHOPIFY_API_KEY: 'k', SHOPIFY_API_SECRET: 's', SHOPIFY_APP_URL: 'https://app.example.com' }).host).toBe('0.0.0.0');
  });

  it('reports every problem in one clear message', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SHOPIFY_API_KEY: 'k', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems, message } = error as ConfigError;
      expect(problems).toHaveLength(5);
      expect(message).toMatch(/PORT="eighty" is not in the expected form \(a port number\)/);
      expect(message).toMatch(/DATABASE_URL="mysql:\/\/x" is not in the expected form \(postgres:\/\/user:password@host:5432\/database\)/);
      expect(message).toMatch(/LOG_LEVEL="loud" must be equal to one of the allowed values/);
      expect(message).toMatch(/set both SHOPIFY_API_KEY and SHOPIFY_API_SECRET, or neither/);
      expect(message).toMatch(/SHOPIFY_APP_URL is required/);
    }
  });
});
