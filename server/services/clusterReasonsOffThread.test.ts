import { describe, expect, it } from 'vitest';
import { clusterReasons, type ReasonNote } from '../../engine/reasons/clusterReasons.ts';
import { REASON_NOTES } from '../../scenarios/reasonNotes.ts';
import { clusterReasonsOffThread } from './clusterReasonsOffThread.ts';

describe('clusterReasonsOffThread', () => {
  it('gives exactly what clusterReasons gives in-thread, from a worker', async () => {
    const notes: ReasonNote[] = REASON_NOTES.slice(0, 400).map((text, i) => ({ id: `n${i}`, text, customerId: `c${i % 90}`, at: Date.UTC(2026, 0, 1) + i * 3_600_000 }));
    const offThread = await clusterReasonsOffThread(notes);
    expect(offThread).toEqual(clusterReasons(notes));
    expect(offThread.clusters.length).toBeGreaterThan(1);
  });

  it('reports a failure of the worker instead of hanging', async () => {
    await expect(clusterReasonsOffThread([{ id: 'x', text: null as unknown as string, customerId: null, at: 0 } as ReasonNote])).rejects.toThrow();
  });
});
