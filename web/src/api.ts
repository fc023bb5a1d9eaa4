/**
 * The admin's side of the API: the fetch wrapper and the one way to save a ruleset draft. What the
 * API answers is typed by the contract (contract/, one file per resource), re-exported here: the
 * admin imports nothing else of ours (run-time or type), as `npm run check:deps` enforces.
 */
export type * from '../../contract/index.ts';
import type { RulesetWithBody, SaveDraftRequest } from '../../contract/index.ts';

/** Fetches a CSV from the API (with the session token when embedded) and saves it as `filename`. */
export async function downloadCsv(path: string, filename: string): Promise<void> {
  const headers: Record<string, string> = {};
  if (window.shopify) headers.authorization = `Bearer ${await window.shopify.idToken()}`;
  const response = await fetch(path, { headers });
  if (!response.ok) throw new ApiError(response.status, `${response.status} ${response.statusText}`);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = filename;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** An API answer that is not a success: the server's message, for a banner. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

declare global {
  interface Window {
    /** App Bridge (embedded in Shopify Admin): session tokens for the API. */
    shopify?: { idToken(): Promise<string> };
  }
}

/** Calls the server's API with the session token when embedded; a failure throws ApiError with the server's message. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (window.shopify) headers.authorization = `Bearer ${await window.shopify.idToken()}`;
  const method = (init.method ?? 'GET').toUpperCase();
  // Every state-changing call is JSON, even without a body: demo mode refuses any other (issue 19).
  if (init.body !== undefined || (method !== 'GET' && method !== 'HEAD')) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  } catch (error) {
    throw new ApiError(0, `The server could not be reached (${(error as Error).message})`);
  }
  const text = await response.text();
  let payload: unknown = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const message = (payload as { message?: string } | null)?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return payload as T;
}

/** The newest of the versions a page loaded (what a draft saved now starts from), or null when the shop has none. */
export function newestVersion(versions: readonly { version: number }[]): number | null {
  return versions.reduce<number | null>((max, v) => (max === null || v.version > max ? v.version : max), null);
}

/**
 * Saves a ruleset body as a new draft version (`POST /api/rulesets`, 201), for the rule editor and
 * Settings alike. `baseVersion` is the newest version the page loaded, so the server refuses the
 * save (409) only when someone saved a version after the page loaded — never because a draft is
 * newer than the published version the page edits.
 */
export function saveDraft(body: unknown, loaded: readonly { version: number }[]): Promise<RulesetWithBody> {
  return api<RulesetWithBody>('/api/rulesets', { method: 'POST', body: { body, baseVersion: newestVersion(loaded) } satisfies SaveDraftRequest });
}

/** The shop this admin is for, when known: the server's meta tag (embedded) or the `shop` query parameter. */
export function currentShop(): string | null {
  const meta = document.querySelector('meta[name="shopify-shop"]')?.getAttribute('content');
  return meta ?? new URLSearchParams(window.location.search).get('shop');
}

/** Fetches a non-JSON resource of the API (CSV, HTML) with the session token; a failure throws ApiError. */
async function fetchBlob(path: string): Promise<Blob> {
  const headers: Record<string, string> = {};
  if (window.shopify) headers.authorization = `Bearer ${await window.shopify.idToken()}`;
  const response = await fetch(path, { headers });
  if (!response.ok) {
    const message = ((await response.json().catch(() => null)) as { message?: string } | null)?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return response.blob();
}

/** Downloads an API resource (e.g. a CSV export) as a file. */
export async function download(path: string, filename: string): Promise<void> {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await fetchBlob(path));
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/** Opens an HTML resource of the API (e.g. a printable report) in a new tab. */
export async function openHtml(path: string): Promise<void> {
  const tab = window.open('', '_blank');
  const url = URL.createObjectURL(await fetchBlob(path));
  if (tab) tab.location.href = url;
  else window.location.href = url;
}
