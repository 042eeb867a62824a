import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { encodeRecords, type RecordSpec } from '../src-main/mbus/common/encode-records';
import type { KeyStore } from '../src-main/mbus/common/key-store';
import { loadLibmbusFrames } from '../src-main/mbus/wired/libmbus-frames';
import { encodeWirelessTelegram, type Security } from '../src-main/mbus/wireless/encode-wireless';
import type * as Kernel from './decode-kernel';

/**
 * `decode`: full decodes per second on one core, wired and wireless separately, measured on the bundled decoder
 * (esbuild, minified, node20 — the way the app's build ships it), not through tsx. Wired: libmbus's own 76 test
 * frames, the set libmbus's normalised decode is timed on (about 200–260k frames/s on these 2-core machines,
 * domain-mbus.md §7); wireless: 150 distinct telegrams, ⅓ plain, ⅓ mode 5, ⅓ mode 7 (KDF + CMAC + AES-CBC).
 * Every pass decodes every telegram from its bytes (no result caching). The last line is the lower figure.
 */
const LIBMBUS_NORMALISED = [200_000, 260_000] as const;
const ROUNDS = 8;
const ROUND_MS = 500;

function records(i: number): RecordSpec[] {
  return [
    { vif: [0x04], data: { type: 'int', bytes: 4, value: 100_000 + i * 37 } },
    { vif: [0x14], data: { type: 'bcd', digits: 8, value: 5_000 + i } },
    { vif: [0x2b], data: { type: 'int', bytes: 2, value: i } },
    { vif: [0x5b], data: { type: 'int', bytes: 1, value: 60 + (i % 20) } },
    { vif: [0x6d], data: { type: 'date-time', value: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}T12:${String(i % 60).padStart(2, '0')}` } },
    { vif: [0x6c], storage: 1, data: { type: 'date', value: '2025-12-31' } },
    { vif: [0x04], storage: 1, tariff: i % 3, data: { type: 'int', bytes: 4, value: 90_000 + i } },
  ];
}

/** libmbus's 76 test frames (rscada/libmbus test/test-frames, BSD-3-Clause). */
export function wiredCorpus(): Uint8Array[] {
  return loadLibmbusFrames('test-frames').map((f) => f.bytes);
}

export function wirelessCorpus(keys: KeyStore): Uint8Array[] {
  const corpus: Uint8Array[] = [];
  for (let i = 0; i < 150; i++) {
    const meter = {
      manufacturer: ['ELS', 'KAM', 'LUG', 'DME'][i % 4]!,
      id: String(20_000_000 + i * 104_729).slice(0, 8),
      version: i % 16,
      deviceType: [3, 4, 7, 0x16][i % 4]!,
    };
    const key = Uint8Array.from({ length: 16 }, (_, b) => (b * 31 + i) & 0xff);
    keys.set(meter, key);
    const mode = i % 3;
    const security: Security = mode === 0 ? { mode: 0 } : mode === 1 ? { mode: 5, key } : { mode: 7, key, messageCounter: 1000 + i };
    corpus.push(
      encodeWirelessTelegram({ meter, accessNumber: i & 0xff, records: encodeRecords(records(i).slice(0, 4 + (i % 4))), security, withCrc: i % 5 === 0 }),
    );
  }
  return corpus;
}

/**
 * Throughput in rounds: the best round is reported (and the median shown), so another process briefly taking
 * the core does not decide the figure. Every round decodes the whole corpus repeatedly from its bytes.
 */
function measure(name: string, corpus: readonly Uint8Array[], decode: (bytes: Uint8Array) => boolean): number {
  // Warm-up, and a check that the whole corpus decodes.
  for (let i = 0; i < 20; i++) for (const bytes of corpus) if (!decode(bytes)) throw new Error(`${name}: corpus telegram failed to decode`);
  const rates: number[] = [];
  let total = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let count = 0;
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(ROUND_MS) * 1_000_000n;
    let now = start;
    while (now < deadline) {
      for (const bytes of corpus) decode(bytes);
      count += corpus.length;
      now = process.hrtime.bigint();
    }
    total += count;
    rates.push(count / (Number(now - start) / 1e9));
  }
  rates.sort((a, b) => a - b);
  const best = Math.round(rates[rates.length - 1]!);
  const median = Math.round(rates[Math.floor(rates.length / 2)]!);
  process.stdout.write(
    `decode ${name}: ${best} telegrams/s best of ${ROUNDS} rounds, median ${median} (${corpus.length} distinct telegrams, ${total} decodes)\n`,
  );
  return best;
}

/** Bundles the decoders as the app's build does and loads that bundle. */
async function bundledKernel(): Promise<typeof Kernel> {
  const dir = mkdtempSync(join(tmpdir(), 'han-bench-'));
  try {
    const outfile = join(dir, 'decode-kernel.mjs');
    await build({
      entryPoints: [join(import.meta.dirname, 'decode-kernel.ts')],
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'error',
    });
    return (await import(pathToFileURL(outfile).href)) as typeof Kernel;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const kernel = await bundledKernel();
  const keys = new kernel.KeyStore();
  const wired = wiredCorpus();
  const wireless = wirelessCorpus(keys);
  const wiredRate = measure('wired', wired, (bytes) => kernel.decodeWired(bytes).ok);
  const wirelessRate = measure('wireless', wireless, (bytes) => {
    const result = kernel.decodeWireless(bytes, keys.lookup);
    return result.ok && result.telegram.decrypted;
  });
  const [low, high] = LIBMBUS_NORMALISED;
  const ratio = (rate: number): string => `${(rate / high).toFixed(2)}–${(rate / low).toFixed(2)}×`;
  process.stdout.write(`decode vs libmbus normalised (${low / 1000}–${high / 1000}k frames/s): wired ${ratio(wiredRate)}, wireless ${ratio(wirelessRate)}\n`);
  process.stdout.write(`decode: ${Math.min(wiredRate, wirelessRate)} telegrams/s\n`);
}
