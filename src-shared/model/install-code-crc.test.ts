import { describe, expect, it } from 'vitest';
import { installCodeCrcHex } from './install-code-crc';

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));

describe('installCodeCrc', () => {
  it('matches the published ZigBee vector', () => {
    expect(installCodeCrcHex(hex('83FED3407A939723A5C639B26916D505'))).toBe('C3B5');
  });
  it('changes when one bit of the code changes', () => {
    expect(installCodeCrcHex(hex('83FED3407A939723A5C639B26916D504'))).not.toBe('C3B5');
  });
});
