import { isSignal, type AnySignal } from '../sdk/index.ts';

/**
 * The signals a ruleset may name. The engine never imports the catalog itself: the server
 * (or CLI, or a test) builds a registry from the built-ins and any loaded plugins.
 */
export interface SignalRegistry {
  get(id: string): AnySignal | undefined;
  has(id: string): boolean;
  /** Every signal, sorted by id. */
  list(): readonly AnySignal[];
}

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** Builds a registry; refuses anything that is not a signal and any id registered twice. */
export function createRegistry(signals: Iterable<AnySignal>): SignalRegistry {
  const byId = new Map<string, AnySignal>();
  for (const signal of signals) {
    if (!isSignal(signal)) throw new RegistryError('createRegistry received something that is not a signal made by defineSignal');
    const id = signal.meta.id;
    if (byId.has(id)) throw new RegistryError(`signal id "${id}" is registered twice`);
    byId.set(id, signal);
  }
  const sorted = Object.freeze([...byId.values()].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1)));
  return Object.freeze({
    get: (id: string) => byId.get(id),
    has: (id: string) => byId.has(id),
    list: () => sorted,
  });
}
