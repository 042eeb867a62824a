import { randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHex } from '../src-main/mbus/common/hex';
import { decodeWireless } from '../src-main/mbus/wireless/decode-wireless';

/**
 * `wrong-key` (issue 15 item 11): how often a random wrong AES key makes a real mode 5 telegram yield values.
 * Every mode 5 telegram of the wmbusmeters corpus that its own key decrypts, in turn, each with a fresh random
 * key. Counts keys that pass the 2F2F markers (expected 1 in 65,536) and keys that yield values (expected none).
 * HAN_WRONG_KEYS sets the count (default 10^6; the figure in the note is for 10^7).
 */
const CORPUS = join(import.meta.dirname, '../../shared/data/mbus/wmbusmeters/telegrams.tsv');

function mode5Telegrams(): Uint8Array[] {
  const rows = readFileSync(CORPUS, 'utf8').trim().split('\n').slice(1);
  const out: Uint8Array[] = [];
  for (const row of rows) {
    const [, hex, key] = row.split('\t');
    if (!key || !hex || hex.length % 2) continue;
    const bytes = parseHex(hex)!;
    const keyBytes = parseHex(key)!;
    const result = decodeWireless(bytes, () => keyBytes);
    if (result.ok && result.telegram.decrypted && result.telegram.wireless?.securityMode === 5 && result.telegram.records.length > 0) out.push(bytes);
  }
  return out;
}

export async function run(): Promise<void> {
  const trials = Number(process.env.HAN_WRONG_KEYS ?? 1_000_000);
  const telegrams = mode5Telegrams();
  const key = new Uint8Array(16);
  let markers = 0;
  let valued = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < trials; i++) {
    randomFillSync(key);
    const result = decodeWireless(telegrams[i % telegrams.length]!, () => key);
    if (!result.ok || !result.telegram.decrypted) continue;
    markers++;
    if (result.telegram.records.some((r) => r.value !== null && r.function !== 'manufacturer' && r.function !== 'more-records-follow')) {
      valued++;
      process.stdout.write(`wrong key ${Buffer.from(key).toString('hex')} yielded values\n`);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(
    `wrong-key: ${telegrams.length} mode 5 telegrams, ${trials} random keys in ${seconds.toFixed(1)} s: ${markers} passed the 2F2F markers (expected ${(trials / 65536).toFixed(1)}), ${valued} yielded values\n`,
  );
  process.stdout.write(`wrong-key: ${valued} valued per ${trials} keys\n`);
}
