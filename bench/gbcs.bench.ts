import { decodeGbcs } from '../src-main/dcc/gbcs/decode';
import { fuzzGbcs } from '../src-main/dcc/gbcs/fuzz';
import { loadRtds, rtdsKeys } from '../src-main/dcc/gbcs/rtds-corpus';

/**
 * `gbcs`: full decodes per second of the 503 RTDS 4.5.0 responses (501 verifiable) with the RTDS keystore — framing, payload,
 * MAC check (GMAC with the KDF per message), ECDSA verification of signed responses and decryption of
 * encrypted content, every pass from the bytes. ECDH results are remembered per key pair (as in the app);
 * the KDF, GMAC, signature and decryption run for every message. Also the fuzz rate (mutated RTDS messages,
 * agreement keys only, as the fuzz test runs). The best of several rounds is the figure (a loaded machine
 * shares its cores); the last line is `gbcs: <n> messages/s`.
 */
const ROUNDS = 6;
const ROUND_MS = 500;

export async function run(): Promise<void> {
  const keys = rtdsKeys();
  const responses = loadRtds().filter((m) => m.kind === 'RESPONSE');
  for (const m of responses) {
    const result = decodeGbcs(m.bytes, keys);
    // The PPMID↔ESME prepayment responses (PCS01/02) are MAC'd with device keys nobody outside holds: "unknown".
    if (!result.ok || (!result.trusted && result.mac !== 'unknown')) throw new Error(`gbcs bench: ${m.name} does not decode and verify`);
  }
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let count = 0;
    const start = performance.now();
    while (performance.now() - start < ROUND_MS) {
      for (const m of responses) decodeGbcs(m.bytes, keys);
      count += responses.length;
    }
    rates.push(count / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  const best = Math.round(rates[rates.length - 1]!);
  const median = Math.round(rates[Math.floor(rates.length / 2)]!);
  process.stdout.write(`gbcs decode+verify+decrypt: ${best} messages/s best of ${ROUNDS} rounds, median ${median} (${responses.length} RTDS responses)\n`);

  const agreementOnly = {
    publicKeys: (eui: string, usage: 'ka' | 'ds') => (usage === 'ka' ? keys.publicKeys(eui, usage) : []),
    privateKeys: keys.privateKeys,
    brokers: keys.brokers,
  };
  const fuzzStart = performance.now();
  const report = fuzzGbcs(
    loadRtds().map((m) => m.bytes),
    agreementOnly,
    20_000,
    0x9bc5,
  );
  const fuzzRate = Math.round(report.inputs / ((performance.now() - fuzzStart) / 1000));
  process.stdout.write(
    `gbcs fuzz: ${fuzzRate} mutated messages/s (${report.inputs} inputs, ${report.refused} refused, ${report.violations.length} contract violations)\n`,
  );
  process.stdout.write(`gbcs: ${best} messages/s\n`);
}
