import { parentPort, workerData } from 'node:worker_threads';
import { familyByName } from './families/index';
import { inputFor } from './mutate';
import { crashSignature } from './signature';

/**
 * Runs inputs [start, end) of one family. The index being run is published in shared memory before each input,
 * so the main thread's watchdog can tell a hang (the index stops moving) and which input caused it.
 */
export interface WorkerData {
  readonly family: string;
  readonly seed: number;
  readonly start: number;
  readonly end: number;
  readonly progress: SharedArrayBuffer;
}

export type WorkerMessage =
  | { readonly type: 'crash'; readonly index: number; readonly signature: string; readonly name: string; readonly message: string; readonly stack: string }
  | { readonly type: 'done'; readonly expected: number };

const data = workerData as WorkerData;
const family = familyByName(data.family);
const seeds = family.seeds();
const current = new Int32Array(data.progress);
const maxLength = family.maxLength ?? 4096;
const kind = family.kind ?? 'bytes';
let expected = 0;
for (let index = data.start; index < data.end; index++) {
  Atomics.store(current, 0, index);
  const input = inputFor(data.seed, index, seeds, maxLength, kind);
  try {
    family.run(input);
  } catch (error) {
    if (family.expected?.(error)) {
      expected++;
      Atomics.store(current, 1, expected); // read by the runner if a time budget ends this worker
      continue;
    }
    const e = error instanceof Error ? error : new Error(String(error));
    parentPort!.postMessage({
      type: 'crash',
      index,
      signature: crashSignature(e),
      name: e.name,
      message: e.message.slice(0, 500),
      stack: (e.stack ?? '').split('\n').slice(0, 8).join('\n'),
    } satisfies WorkerMessage);
  }
}
Atomics.store(current, 0, data.end);
parentPort!.postMessage({ type: 'done', expected } satisfies WorkerMessage);
