import { describe, expect, it } from 'vitest';
// herdsman's own NIB struct serves as the oracle for the layout the emulator writes.
import { nib as parseNib } from 'zigbee-herdsman/dist/adapter/z-stack/structs/entries/nib';
import { buildNib } from './nib';

describe('emulated Z-Stack NIB', () => {
  it('is laid out as herdsman reads an unaligned Z-Stack 3.x NIB', () => {
    const raw = buildNib({
      panId: 0x1a2b,
      channel: 15,
      channelMask: 1 << 15,
      extPanIdRaw: Buffer.from('0807060504030201', 'hex'),
      coordinatorIeee: '00124B0018ED1A5C',
    });
    const nib = parseNib(raw);
    expect(nib.nwkPanId).toBe(0x1a2b);
    expect(nib.nwkLogicalChannel).toBe(15);
    expect(nib.channelList).toBe(1 << 15);
    expect(Buffer.from(nib.extendedPANID).toString('hex')).toBe('0102030405060708');
    expect(Buffer.from(nib.nwkCoordExtAddress).toString('hex')).toBe('00124b0018ed1a5c');
    expect(nib.SecurityLevel).toBe(5);
    expect(nib.nwkUpdateId).toBe(0);
  });
});
