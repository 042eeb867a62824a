import { describe, expect, it } from 'vitest';
import { isHerdsmanDefault, randomNetworkParams, SE_PREFERRED_CHANNELS } from './network-params';

describe('randomNetworkParams', () => {
  it('picks an SE preferred channel and random identifiers', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = randomNetworkParams();
      expect(SE_PREFERRED_CHANNELS).toContain(p.channel);
      expect(p.extendedPanId).toMatch(/^[0-9A-F]{16}$/);
      expect(p.networkKey).toMatch(/^[0-9A-F]{32}$/);
      expect(isHerdsmanDefault(p)).toBe(false);
      seen.add(p.networkKey);
    }
    expect(seen.size).toBe(50);
  });
  it('keeps the engineer’s channel and rejects an invalid one', () => {
    expect(randomNetworkParams(26).channel).toBe(26);
    expect(() => randomNetworkParams(27)).toThrow(RangeError);
  });
  it('never returns herdsman’s defaults even when the random source produces them', () => {
    const queue = [
      Buffer.from([0x62, 0x1a]),
      Buffer.from([0x34, 0x12]),
      Buffer.alloc(8, 0xdd),
      Buffer.alloc(8, 0x11),
      Buffer.from('01030507090B0D0F00020406080A0C0D', 'hex'),
      Buffer.alloc(16, 0x22),
      Buffer.from([3]),
    ];
    const p = randomNetworkParams(undefined, () => queue.shift()!);
    expect(p).toEqual({ panId: 0x1234, extendedPanId: '1111111111111111', networkKey: '22'.repeat(16).toUpperCase(), channel: 19 });
  });
});
