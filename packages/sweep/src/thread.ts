/**
 * The worker-thread entry of the sweep pool (piscina): each task is a chunk of combinations.
 * Built to `dist/thread.js`; from the TypeScript sources it runs through tsx (see local/pool.ts).
 */
import { runChunk, type ChunkResult, type ChunkTask } from './run/task';

/** Runs one chunk of a sweep in this thread. */
export default function sweepThread(task: ChunkTask): Promise<ChunkResult> {
  return runChunk(task);
}
