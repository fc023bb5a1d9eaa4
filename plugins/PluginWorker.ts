import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { SignalContext, SignalOutcome } from '../sdk/index.ts';
import type { WorkerAnswer, WorkerInput, WorkerRequest } from './workerThread.ts';

export interface PluginLimits {
  /** Longest a single signal call may take, in ms, before the worker is stopped and the call is an error. */
  timeBudgetMs: number;
  /** V8 old-generation heap of the plugin's worker, in MB; past it the worker dies and is restarted. */
  memoryMb: number;
  /** Longest a (re)start of the worker may take: importing the plugin's modules. */
  bootBudgetMs: number;
}

export const DEFAULT_LIMITS: PluginLimits = Object.freeze({ timeBudgetMs: 100, memoryMb: 64, bootBudgetMs: 10_000 });

/** Why a call did not return the signal's own result. */
export type CallFailure = 'timeout' | 'crashed' | 'boot-failed';

export class PluginCallError extends Error {
  readonly failure: CallFailure;
  constructor(failure: CallFailure, message: string) {
    super(message);
    this.name = 'PluginCallError';
    this.failure = failure;
  }
}

interface Running {
  worker: Worker;
  port: MessagePort;
  wake: Int32Array;
  /** The context last sent to this worker (it keeps one), by identity. */
  lastContext?: SignalContext;
  lastContextId: number;
  exited: boolean;
}

/**
 * One plugin's worker thread, called synchronously: the engine decides synchronously, so a
 * plugin signal's `evaluate` posts the request and blocks on `Atomics.wait` until the worker
 * answers or the time budget runs out. A worker that overruns is terminated (a hung loop
 * cannot be interrupted any other way) and started again on the next call; one that exceeds
 * its memory limit dies and is started again too. Nothing a plugin does can stop the
 * decision: every failure becomes an error result for that signal.
 */
export class PluginWorker {
  readonly modules: ReadonlyMap<string, string>;
  readonly limits: PluginLimits;
  /** Worker (re)starts after the first, and why the last one ended. */
  restarts = 0;
  lastExit?: string;
  private running?: Running;
  private seq = 0;
  private contextIds = 0;
  private closed = false;
  private readonly onExit: (reason: string) => void;

  /** What of a context is sent (see projectContext.ts); set once the signals' needs are known. */
  project: (ctx: SignalContext) => SignalContext = (ctx) => ctx;

  constructor(modules: ReadonlyMap<string, string>, limits: PluginLimits, onExit: (reason: string) => void = () => {}) {
    this.modules = modules;
    this.limits = limits;
    this.onExit = onExit;
  }

  /** Starts the worker and waits (without blocking the event loop) for its signals' metas. */
  async start(): Promise<unknown[]> {
    const running = this.spawn();
    // A pending Atomics.waitAsync does not keep the process alive: the worker does, meanwhile.
    running.worker.ref();
    const waited = Atomics.waitAsync(running.wake, 0, 0, this.limits.bootBudgetMs);
    try {
      if (waited.async) await waited.value;
    } finally {
      running.worker.unref();
    }
    return this.bootAnswer(running);
  }

  /** Evaluates one signal on one context; returns the signal's result as an outcome. Blocks up to the time budget. */
  call(signalId: string, context: SignalContext, params: object): SignalOutcome {
    if (this.closed) throw new PluginCallError('crashed', 'the plugin host is closed');
    let running = this.running;
    if (!running || running.exited) {
      running = this.spawn();
      this.restarts++;
      if (Atomics.wait(running.wake, 0, 0, this.limits.bootBudgetMs) === 'timed-out') {
        this.stop(running, `restart took longer than ${this.limits.bootBudgetMs} ms`);
        throw new PluginCallError('boot-failed', `the plugin worker did not restart within ${this.limits.bootBudgetMs} ms`);
      }
      this.bootAnswer(running);
    }
    const seq = ++this.seq;
    const request: WorkerRequest = { seq, signalId, params, contextId: running.lastContextId };
    if (running.lastContext !== context) {
      request.contextId = running.lastContextId = ++this.contextIds;
      request.context = this.project(context);
      running.lastContext = context;
    }
    let answer = this.exchange(running, request);
    if (answer.op === 'need-context') answer = this.exchange(running, { ...request, context: this.project(context) });
    if (answer.op !== 'result') throw new PluginCallError('crashed', `unexpected answer ${answer.op} from the plugin worker`);
    return answer.result as SignalOutcome;
  }

  /** Posts a request and waits synchronously for its answer, within the time budget. */
  private exchange(running: Running, request: WorkerRequest): WorkerAnswer {
    const deadline = performance.now() + this.limits.timeBudgetMs;
    let seen = Atomics.load(running.wake, 0);
    running.port.postMessage(request);
    for (;;) {
      for (let message = receiveMessageOnPort(running.port); message; message = receiveMessageOnPort(running.port)) {
        const answer = message.message as WorkerAnswer;
        if ((answer.op === 'result' || answer.op === 'need-context') && answer.seq === request.seq) return answer;
      }
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(running.wake, 0, seen, left) === 'timed-out') {
        // One last look: the answer may have landed just as the budget ran out.
        const late = receiveMessageOnPort(running.port)?.message as WorkerAnswer | undefined;
        if (late && (late.op === 'result' || late.op === 'need-context') && late.seq === request.seq) return late;
        this.stop(running, `a call to ${request.signalId} ran past its ${this.limits.timeBudgetMs} ms budget`);
        throw new PluginCallError('timeout', `no answer within ${this.limits.timeBudgetMs} ms: the plugin's worker was stopped (a hung loop, or it died; it restarts on the next call)`);
      }
      seen = Atomics.load(running.wake, 0);
    }
  }

  private spawn(): Running {
    const { port1, port2 } = new MessageChannel();
    const wake = new Int32Array(new SharedArrayBuffer(4));
    const input: WorkerInput = { port: port2, signal: wake, modules: [...this.modules] };
    const worker = new Worker(new URL('./workerThread.ts', import.meta.url), {
      workerData: input,
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb, maxYoungGenerationSizeMb: Math.min(16, this.limits.memoryMb), stackSizeMb: 4 },
      // stripTypeScriptTypes (TypeScript plugins installed under node_modules) is marked experimental.
      execArgv: ['--disable-warning=ExperimentalWarning'],
    });
    const running: Running = { worker, port: port1, wake, lastContextId: 0, exited: false };
    worker.on('error', (error: Error & { code?: string }) => {
      const reason = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `exceeded its ${this.limits.memoryMb} MB memory limit` : `crashed: ${error.message}`;
      running.exited = true;
      this.lastExit = reason;
      this.onExit(reason);
    });
    worker.on('exit', () => {
      running.exited = true;
    });
    worker.unref();
    this.running = running;
    return running;
  }

  private bootAnswer(running: Running): unknown[] {
    const answer = receiveMessageOnPort(running.port)?.message as WorkerAnswer | undefined;
    if (answer?.op === 'ready') return answer.metas;
    const reason = answer?.op === 'failed' ? answer.error : `did not start within ${this.limits.bootBudgetMs} ms`;
    this.stop(running, reason);
    throw new PluginCallError('boot-failed', reason);
  }

  private stop(running: Running, reason: string): void {
    running.exited = true;
    this.lastExit = reason;
    void running.worker.terminate();
    running.port.close();
    if (this.running === running) this.running = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    const running = this.running;
    this.running = undefined;
    if (running) {
      running.port.close();
      await running.worker.terminate();
    }
  }
}
