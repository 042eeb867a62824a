import { describe, expect, it } from 'vitest';
import { decodeWired } from '../src-main/mbus/wired/decode-wired';
import { decodeWireless } from '../src-main/mbus/wireless/decode-wireless';
import { KeyStore } from '../src-main/mbus/common/key-store';
import { wiredCorpus, wirelessCorpus } from './decode.bench';

const distinct = (corpus: Uint8Array[]): number => new Set(corpus.map((b) => Buffer.from(b).toString('hex'))).size;

describe('decode benchmark corpora', () => {
  it("times the wired decoder on libmbus's own 76 test frames, all decodable", () => {
    const corpus = wiredCorpus();
    expect(corpus).toHaveLength(76);
    expect(distinct(corpus)).toBe(74); // two of libmbus's files repeat another frame byte for byte
    expect(corpus.every((b) => decodeWired(b).ok)).toBe(true);
  });

  it('has more than 100 distinct wireless telegrams in plain, mode 5 and mode 7, all decrypted', () => {
    const keys = new KeyStore();
    const corpus = wirelessCorpus(keys);
    expect(distinct(corpus)).toBeGreaterThanOrEqual(100);
    const modes = new Set<number>();
    for (const bytes of corpus) {
      const result = decodeWireless(bytes, keys.lookup);
      expect(result.ok && result.telegram.decrypted).toBe(true);
      if (result.ok) modes.add(result.telegram.wireless!.securityMode);
    }
    expect([...modes].sort()).toEqual([0, 5, 7]);
  });
});
