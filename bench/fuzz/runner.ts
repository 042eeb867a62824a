import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { familyByName } from './families/index';
import { inputFor } from './mutate';
import type { WorkerData, WorkerMessage } from './worker';

export interface FuzzOptions {
  readonly family: string;
  readonly inputs: number;
  readonly seed: number;
  /** An input running longer than this is a hang: its worker is ended and the run continues after it. */
  readonly timeoutMs?: number;
  /** Reproducers go to `<outDir>/<family>/`; omitted = none written. */
  readonly outDir?: string;
  readonly onProgress?: (done: number) => void;
  /** A time budget: past it the run stops after the input in progress is abandoned, and reports what ran. */
  readonly maxSeconds?: number;
}

export interface Finding {
  readonly signature: string;
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  /** The first input that showed it (reproduce with the same seed and index, or the reproducer file). */
  readonly index: number;
  count: number;
}

export interface FuzzReport {
  readonly family: string;
  readonly seed: number;
  /** Inputs run (fewer than asked only when the time budget ended the run). */
  readonly inputs: number;
  readonly requestedInputs: number;
  readonly budgetReached: boolean;
  readonly seconds: number;
  /** CPU time of the whole process: on a shared machine, inputs per CPU second say more than inputs/s. */
  readonly cpuSeconds: number;
  readonly inputsPerSecond: number;
  readonly expectedRefusals: number;
  readonly crashes: readonly Finding[];
  readonly hangs: readonly { readonly index: number }[];
  readonly peakRssMb: number;
}

const WORKER = new URL('./worker.ts', import.meta.url).href;
/** Worker threads do not inherit tsx's loader: register it in the thread, then load the TypeScript worker. */
const BOOTSTRAP = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER)}); });`;
const NOT_STARTED = -1;

/**
 * Runs `inputs` seeded inputs of one family in a worker thread under a per-input watchdog. Crashes are
 * de-duplicated by signature (one reproducer each); a hang ends the worker, is recorded with its input, and a
 * new worker carries on from the next index, so one run reports every finding.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const family = familyByName(options.family);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const crashes = new Map<string, Finding>();
  const hangs: { index: number }[] = [];
  let expectedRefusals = 0;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const deadline = options.maxSeconds === undefined ? Infinity : started + options.maxSeconds * 1000;
  let ran = options.inputs;
  let budgetReached = false;
  const folder = options.outDir ? join(options.outDir, family.name) : undefined;
  const reproduce = (index: number): Buffer => inputFor(options.seed, index, family.seeds(), family.maxLength ?? 4096, family.kind ?? 'bytes');
  const write = (name: string, input: Buffer, details: unknown): void => {
    if (!folder) return;
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${name}.bin`), input);
    writeFileSync(join(folder, `${name}.json`), JSON.stringify({ family: family.name, seed: options.seed, ...(details as object) }, null, 2) + '\n');
  };

  let start = 0;
  while (start < options.inputs) {
    // [0] the input being run, [1] expected refusals so far (for a run a time budget ends).
    const progress = new SharedArrayBuffer(8);
    const current = new Int32Array(progress);
    Atomics.store(current, 0, NOT_STARTED);
    const data: WorkerData = { family: family.name, seed: options.seed, start, end: options.inputs, progress };
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: data });
    const outcome = await new Promise<{ kind: 'done' } | { kind: 'hang' | 'died' | 'budget'; index: number }>((resolve, reject) => {
      let lastIndex = NOT_STARTED;
      let lastChange = performance.now();
      const watchdog = setInterval(
        () => {
          const index = Atomics.load(current, 0);
          // Loading the worker (tsx, the families' seeds) is not an input's time.
          if (index === NOT_STARTED) return;
          options.onProgress?.(index);
          if (performance.now() > deadline) {
            clearInterval(watchdog);
            void worker.terminate();
            resolve({ kind: 'budget', index });
            return;
          }
          if (index !== lastIndex) {
            lastIndex = index;
            lastChange = performance.now();
          } else if (performance.now() - lastChange > timeoutMs) {
            clearInterval(watchdog);
            void worker.terminate();
            resolve({ kind: 'hang', index });
          }
        },
        Math.min(250, timeoutMs / 4),
      );
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'done') {
          expectedRefusals += message.expected;
          clearInterval(watchdog);
          resolve({ kind: 'done' });
          return;
        }
        const known = crashes.get(message.signature);
        if (known) {
          known.count++;
          return;
        }
        crashes.set(message.signature, { ...message, count: 1 });
        write(`crash-${message.signature}`, reproduce(message.index), message);
      });
      // Out of memory or a native fault in the parser: recorded like a crash at the input being run.
      worker.on('error', (error) => {
        clearInterval(watchdog);
        if (Atomics.load(current, 0) === NOT_STARTED) {
          // The worker could not load (not an input's fault): stop rather than retry every input.
          reject(new Error(`the fuzz worker did not start: ${error.message}`));
          return;
        }
        resolve({ kind: 'died', index: Atomics.load(current, 0) });
        const signature = `worker-${error.name}`;
        if (!crashes.has(signature)) {
          const index = Atomics.load(current, 0);
          crashes.set(signature, { signature, name: error.name, message: error.message, stack: error.stack ?? '', index, count: 1 });
          write(`crash-${signature}`, reproduce(index), { index, name: error.name, message: error.message });
        }
      });
    });
    if (outcome.kind === 'done') break;
    if (outcome.kind === 'budget') {
      // Inputs before the one in progress ran to completion; that one is not counted.
      ran = outcome.index;
      expectedRefusals += Atomics.load(current, 1);
      budgetReached = true;
      break;
    }
    if (outcome.kind === 'hang') {
      hangs.push({ index: outcome.index });
      write(`hang-${outcome.index}`, reproduce(outcome.index), { index: outcome.index, timeoutMs });
    }
    start = outcome.index + 1;
  }

  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  return {
    family: family.name,
    seed: options.seed,
    inputs: ran,
    requestedInputs: options.inputs,
    budgetReached,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    inputsPerSecond: ran / seconds,
    expectedRefusals,
    crashes: [...crashes.values()],
    hangs,
    // maxRSS covers the whole process, worker threads included (KiB on Linux).
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
