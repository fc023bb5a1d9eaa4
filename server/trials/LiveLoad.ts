import { performance } from 'node:perf_hooks';

/**
 * A gauge of live work in flight (scoring batches of webhooks), shared between the main thread
 * and the trial threads through a SharedArrayBuffer: the main thread counts work in and out, a
 * trial thread (preview, simulation) pauses at its progress points while the gauge is above 0,
 * for at most a bounded time, so that on a machine with few cores live scoring comes first and a
 * trial still always advances.
 */
export class LiveLoad {
  readonly buffer: SharedArrayBuffer;
  private readonly cells: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.buffer = buffer;
    this.cells = new Int32Array(buffer);
  }

  /** Live work started (main thread). */
  enter(): void {
    Atomics.add(this.cells, 0, 1);
  }

  /** Live work ended (main thread): wakes the threads waiting for the gauge to change. */
  leave(): void {
    Atomics.sub(this.cells, 0, 1);
    Atomics.notify(this.cells, 0);
  }

  /** Live work in flight now. */
  get inFlight(): number {
    return Atomics.load(this.cells, 0);
  }

  /**
   * In a trial thread (never the main thread: it blocks): waits while live work is in flight, at
   * most `maxMs`. Returns the milliseconds waited.
   */
  yieldToLive(maxMs = 50): number {
    const started = performance.now();
    for (;;) {
      const inFlight = Atomics.load(this.cells, 0);
      const left = maxMs - (performance.now() - started);
      if (inFlight <= 0 || left <= 0) break;
      Atomics.wait(this.cells, 0, inFlight, left);
    }
    return performance.now() - started;
  }
}
