import type { Instant } from './common.ts';

/** A plugin signal's health: calls, failures by kind, and a suspension while it keeps failing. */
export interface SignalHealth {
  id: string;
  calls: number;
  failures: number;
  /** Failures by kind: threw, invalid-result, timeout, crashed, suspended. */
  failuresByKind: Record<string, number>;
  consecutiveFailures: number;
  lastFailure?: { at: Instant; message: string };
  /** While set, calls answer `error` at once instead of running the plugin. */
  suspendedUntil?: Instant;
}

/** A configured signal plugin: loaded (with its signals' health) or failed (with why). */
export interface PluginReport {
  spec: string;
  status: 'loaded' | 'failed';
  name?: string;
  version?: string;
  description?: string;
  dir?: string;
  /** Why it was not loaded (bad manifest, incompatible sdk, clashing ids, a module that fails to import…). */
  error?: string;
  /** The ids its manifest declares (also for a failed plugin, when the manifest could be read). */
  signalIds: string[];
  /** Worker restarts after a timeout or crash, and why the last worker ended. */
  restarts: number;
  lastExit?: string;
  signals: SignalHealth[];
}

/** `GET /api/plugins`: the plugins, and what the banner shows. */
export interface PluginsAnswer {
  plugins: PluginReport[];
  problems: { notLoaded: number; failingSignals: string[] };
}
