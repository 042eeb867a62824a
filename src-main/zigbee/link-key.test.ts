import { describe, expect, it } from 'vitest';
import { aesMmoHash, installCodeLinkKey } from './link-key';

describe('AES-MMO hash', () => {
  it('matches the ZigBee spec vector C.6.1 (17-byte input, two blocks)', () => {
    expect(aesMmoHash(Buffer.from('76777475727370717E7F7C7D7A7B7879C0', 'hex')).toString('hex').toUpperCase()).toBe('3C3D537529A7A9A03F669DCD886CB52C');
  });
  it('derives the published link key from the 16-byte install code and its CRC', () => {
    expect(installCodeLinkKey('83FED3407A939723A5C639B26916D505', 'C3B5')).toBe('66B6900981E1EE3CA4206B6B861C02BB');
  });
  it('derives the published link key for the 12-byte vector', () => {
    expect(installCodeLinkKey('83FED3407A939723A5C639FF', '4C12')).toBe('58C1828CF7F1C3FE29E7B1024AD84BFA');
  });
  it('changes completely when the CRC changes', () => {
    expect(installCodeLinkKey('83FED3407A939723A5C639B26916D505', 'C3B4')).not.toBe('66B6900981E1EE3CA4206B6B861C02BB');
  });
});
