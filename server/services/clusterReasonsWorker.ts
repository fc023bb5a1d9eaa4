/** Worker thread entry: clusters the notes it is given (engine/reasons, pure) and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { clusterReasons, type ReasonNote } from '../../engine/reasons/clusterReasons.ts';

parentPort!.postMessage(clusterReasons((workerData as { notes: ReasonNote[] }).notes));
