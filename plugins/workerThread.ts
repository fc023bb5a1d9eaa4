/**
 * The worker thread a plugin's signals run in (one per plugin). It imports the plugin's signal
 * modules, then answers evaluation requests from the main thread. Protocol (see
 * PluginWorker.ts): requests arrive on `port`; every answer is posted on `port` and then
 * `signal[0]` is incremented and notified, so the main thread can wait for it synchronously.
 */
import { readFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { pathToFileURL } from 'node:url';
import { type MessagePort, workerData } from 'node:worker_threads';
import { deepFreeze } from '../sdk/params.ts';
import { evaluateSignal, isSignal, type AnySignal, type SignalContext } from '../sdk/index.ts';
import { contextProjector } from './projectContext.ts';

export interface WorkerInput {
  port: MessagePort;
  signal: Int32Array;
  /** Signal id → absolute module path. */
  modules: [string, string][];
}

export type WorkerRequest = { seq: number; signalId: string; params: object; contextId: number; context?: SignalContext };
export type WorkerAnswer =
  | { op: 'ready'; metas: unknown[] }
  | { op: 'failed'; error: string }
  | { op: 'result'; seq: number; result: unknown }
  | { op: 'need-context'; seq: number };

const SDK_URL = new URL('../sdk/index.ts', import.meta.url).href;
const SDK_TESTING_URL = new URL('../sdk/testing/index.ts', import.meta.url).href;
/** Modules a signal has no business importing: the network and other processes or threads. */
const REFUSED = new Set(['child_process', 'cluster', 'dgram', 'dns', 'http', 'http2', 'https', 'inspector', 'net', 'tls', 'worker_threads']);

// The host provides the sdk, whatever copy the plugin was installed with: one contract, one version check.
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === '@refundsentry/sdk') return { url: SDK_URL, shortCircuit: true };
    if (specifier === '@refundsentry/sdk/testing') return { url: SDK_TESTING_URL, shortCircuit: true };
    const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
    if (REFUSED.has(bare.split('/')[0]!)) throw new Error(`plugins may not import "${specifier}": signals are pure functions of their context (no network, processes or threads)`);
    return nextResolve(specifier, context);
  },
  // Node strips TypeScript types everywhere except under node_modules: a plugin published as
  // .ts (no build step) is stripped here the same way, so installed and local plugins load alike.
  load(url, context, nextLoad) {
    if (url.startsWith('file:') && url.includes('/node_modules/') && /\.[mc]?ts$/.test(url)) {
      return { format: 'module', source: stripTypeScriptTypes(readFileSync(new URL(url), 'utf8')), shortCircuit: true };
    }
    return nextLoad(url, context);
  },
});
// No network from signal code either.
for (const name of ['fetch', 'WebSocket', 'EventSource'] as const) delete (globalThis as Record<string, unknown>)[name];

const { port, signal: wake, modules } = workerData as WorkerInput;

function answer(message: WorkerAnswer): void {
  try {
    port.postMessage(message);
  } catch (error) {
    // A result that cannot be cloned (functions, symbols…): report it as the signal's error.
    if (message.op !== 'result') throw error;
    port.postMessage({ op: 'result', seq: message.seq, result: { status: 'error', strength: 0, evidence: {}, message: `result cannot be passed on: ${(error as Error).message}` } });
  }
  Atomics.add(wake, 0, 1);
  Atomics.notify(wake, 0);
}

const signals = new Map<string, AnySignal>();
/** Each signal sees only the parts of the context it declared in `meta.needs`. */
const views = new Map<string, (ctx: SignalContext) => SignalContext>();
try {
  for (const [id, path] of modules) {
    const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    const signal = module.default;
    if (!isSignal(signal)) throw new Error(`${path}: the default export is not a signal made with defineSignal`);
    if (signal.meta.id !== id) throw new Error(`${path}: exports signal "${signal.meta.id}" but the manifest names it "${id}"`);
    signals.set(id, signal);
    views.set(id, contextProjector(signal.meta.needs));
  }
  answer({ op: 'ready', metas: [...signals.values()].map((s) => JSON.parse(JSON.stringify(s.meta)) as unknown) });
} catch (error) {
  answer({ op: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}

let current: { id: number; context: SignalContext } | undefined;
port.on('message', (request: WorkerRequest) => {
  if (request.context !== undefined) current = { id: request.contextId, context: deepFreeze(request.context) };
  if (!current || current.id !== request.contextId) return answer({ op: 'need-context', seq: request.seq });
  const signal = signals.get(request.signalId);
  const result = signal
    ? evaluateSignal(signal, deepFreeze(views.get(request.signalId)!(current.context)), deepFreeze(request.params))
    : { status: 'error', strength: 0, evidence: {}, message: `no signal ${request.signalId} in this plugin` };
  answer({ op: 'result', seq: request.seq, result });
});
