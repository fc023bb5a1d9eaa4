import { Worker } from 'node:worker_threads';
import type { ReasonClustering, ReasonNote } from '../../engine/reasons/clusterReasons.ts';

/**
 * `clusterReasons` in a worker thread: clustering tens of thousands of notes takes seconds of
 * CPU, which on the server's main thread would hold up webhooks and the admin API meanwhile.
 */
export function clusterReasonsOffThread(notes: readonly ReasonNote[]): Promise<ReasonClustering> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./clusterReasonsWorker.ts', import.meta.url), { workerData: { notes } });
    let settled = false;
    worker.once('message', (result: ReasonClustering) => {
      settled = true;
      resolve(result);
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the reason clustering worker stopped (exit code ${code}) before answering`));
    });
  });
}
