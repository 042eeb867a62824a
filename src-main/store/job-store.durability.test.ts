import { seededRandom } from '../util/seeded-random';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStore } from './job-store';

/**
 * kill -9 durability: a child writer appends events continuously and prints `C <jobId> <seq> <hash>` after
 * each fsync returns. The parent kills it with SIGKILL at a random moment — during start-up, the store's
 * open and repair, or mid-stream — then reopens the data directory as the next writer and proves every
 * event the child reported is present with the same hash, every chain verifies and no torn bytes remain.
 *
 * The writer is bundled once with esbuild (tsx's own dependency) so each child starts in ~0.2 s rather than
 * ~0.6 s under the tsx loader; without esbuild it falls back to `node --import tsx`.
 * Two lanes run side by side (CI has two cores); each uses a fresh data directory every GENERATION trials so
 * reopen cost stays flat. The seed is printed so a failure can be replayed.
 */

const TRIALS_PER_LANE = 105;
const LANES = 2;
const GENERATION = 35;
const here = dirname(fileURLToPath(import.meta.url));
const writerSource = join(here, 'durability-writer.ts');

let workDir: string;
let writerCommand: { command: string; args: string[] };

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'han-durability-'));
  try {
    const esbuild = await import('esbuild');
    const outfile = join(workDir, 'durability-writer.mjs');
    await esbuild.build({
      entryPoints: [writerSource],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      minify: true,
      logLevel: 'warning',
    });
    writerCommand = { command: process.execPath, args: [outfile] };
  } catch {
    writerCommand = { command: process.execPath, args: ['--import', 'tsx', writerSource] };
  }
}, 60_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

interface Trial {
  /** Complete `C` lines the child printed before it died. */
  readonly committed: { jobId: string; seq: number; hash: string }[];
  readonly reachedReady: boolean;
  readonly early: boolean;
}

/** Runs one writer and kills it: either at a random moment from spawn, or a random moment after it is ready. */
function runAndKill(dataDir: string, seed: number, random: () => number): Promise<Trial> {
  return new Promise((resolve, reject) => {
    const child = spawn(writerCommand.command, [...writerCommand.args, dataDir, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let stderr = '';
    let reachedReady = false;
    let killed = false;
    const committed: Trial['committed'] = [];
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    // A quarter of the kills land anywhere from spawn on (loading, lock, open, torn-tail repair).
    const early = random() < 0.25;
    const timers: NodeJS.Timeout[] = [];
    if (early) timers.push(setTimeout(kill, random() * 250));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('ready')) {
          reachedReady = true;
        } else if (line.startsWith('C ')) {
          const [, jobId, seq, hash] = line.split(' ');
          committed.push({ jobId: jobId!, seq: Number(seq), hash: hash! });
          // The rest die mid-stream: at a random moment within 30 ms of their first commit, whatever the disk speed.
          if (!early && committed.length === 1) timers.push(setTimeout(kill, random() * 30));
        }
      }
      // A partial last line is ignored: the child died before finishing the report, so it promised nothing.
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    // 'exit' fires after the child is reaped, so its pid is gone and its lock is visibly stale.
    child.on('exit', (code, signal) => {
      timers.forEach(clearTimeout);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
      else resolve({ committed, reachedReady, early });
    });
    // Safety net for a writer that never gets ready.
    timers.push(setTimeout(kill, 10_000));
  });
}

async function lane(laneIndex: number, seed: number): Promise<{ trials: number; events: number; early: number; midStream: number }> {
  const random = seededRandom(seed);
  let dataDir = '';
  let promised = new Map<string, Map<number, string>>();
  let events = 0;
  let notReady = 0;
  let midStream = 0;
  for (let trial = 0; trial < TRIALS_PER_LANE; trial++) {
    if (trial % GENERATION === 0) {
      dataDir = join(workDir, `lane${laneIndex}-gen${trial / GENERATION}`);
      await mkdir(dataDir, { recursive: true });
      promised = new Map();
    }
    const result = await runAndKill(dataDir, seed * 1000 + trial, random);
    if (!result.reachedReady) notReady++;
    if (!result.early) midStream++;
    for (const { jobId, seq, hash } of result.committed) {
      if (!promised.has(jobId)) promised.set(jobId, new Map());
      promised.get(jobId)!.set(seq, hash);
    }
    events += result.committed.length;

    // The next writer: takes over the dead writer's lock, loads, verifies and repairs.
    const store = await JobStore.open(dataDir, { engineer: 'Durability Verifier', owner: 'durability-test' });
    try {
      const context = `lane ${laneIndex} seed ${seed} trial ${trial}`;
      for (const [jobId, seqs] of promised) {
        const job = store.getJob(jobId);
        for (const [seq, hash] of seqs) {
          expect(job.timeline[seq - 1]?.hash, `${context}: ${jobId} event ${seq} lost or changed`).toBe(hash);
        }
      }
      for (const summary of store.listJobs()) {
        const verdict = await store.verify(summary.id);
        expect(verdict, `${context}: ${summary.id}`).toMatchObject({ ok: true, tornBytes: 0 });
      }
    } finally {
      await store.close();
    }
  }
  return { trials: TRIALS_PER_LANE, events, early: notReady, midStream };
}

describe('JobStore under kill -9', () => {
  it(`keeps every committed event through ${TRIALS_PER_LANE * LANES} SIGKILLs at random points`, async () => {
    const base = Math.floor(Math.random() * 1_000_000);
    console.log(`durability seed ${base} (writer: ${writerCommand.args.includes('tsx') ? 'tsx loader' : 'esbuild bundle'})`);
    const results = await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i, base + i)));
    const total = results.reduce((sum, r) => sum + r.trials, 0);
    const committed = results.reduce((sum, r) => sum + r.events, 0);
    console.log(`${total} kills, ${committed} committed events checked, ${results.reduce((s, r) => s + r.early, 0)} kills before ready`);
    expect(total).toBeGreaterThanOrEqual(200);
    // The run must actually have exercised commits: every mid-stream kill came after at least one.
    const midStream = results.reduce((sum, r) => sum + r.midStream, 0);
    expect(midStream).toBeGreaterThan(total / 2);
    expect(committed).toBeGreaterThanOrEqual(midStream);
  }, 240_000);
});
