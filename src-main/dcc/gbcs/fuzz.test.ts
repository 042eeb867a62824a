import { describe, expect, it } from 'vitest';
import { fuzzGbcs } from './fuzz';
import type { GbcsKeyStore } from './keys';
import { loadRtds, rtdsKeys } from './rtds-corpus';

/**
 * 100,000 seeded mutations of the 1,275 RTDS messages through the whole decoder (framing, payload families,
 * MAC checks and decryption with the RTDS keys): no exception, no contract break (untrusted content shown,
 * offsets outside the input). Digital-signing keys are left out so the run stays short on a loaded machine:
 * an ECDSA verification costs ~0.5 ms and its input is handed whole to node:crypto; signature verdicts under
 * mutation are covered by the bit-flip tests in decode.test.ts. The rate is printed by `npm run bench -- gbcs`.
 */
describe('GBCS fuzz', () => {
  it('survives 100,000 mutated RTDS messages', () => {
    const all = rtdsKeys();
    const agreementOnly: GbcsKeyStore = {
      publicKeys: (eui, usage) => (usage === 'ka' ? all.publicKeys(eui, usage) : []),
      privateKeys: all.privateKeys,
      brokers: all.brokers,
    };
    const report = fuzzGbcs(
      loadRtds().map((m) => m.bytes),
      agreementOnly,
      100_000,
      0x9bc5,
    );
    expect(report.violations).toEqual([]);
    expect(report.inputs).toBe(100_000);
    // The mutations reach past the framing: a share of inputs still decodes (and is then refused by its MAC).
    expect(report.decoded).toBeGreaterThan(1_000);
  }, 180_000);
});
