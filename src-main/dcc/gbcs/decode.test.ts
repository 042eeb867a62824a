import { describe, expect, it } from 'vitest';
import { decodeGbcs, type GbcsMessage } from './decode';
import { readFrame } from './framing';
import { combineKeyStores } from './keys';
import { loadRtds, rtdsKeys, rtdsMessage } from './rtds-corpus';
import { allUseCases } from './use-cases';

const keys = rtdsKeys();
const deliveries = loadRtds().filter((m) => m.kind === 'RESPONSE' || m.kind === 'ALERT');

function decoded(bytes: Uint8Array): GbcsMessage {
  const result = decodeGbcs(bytes, keys);
  if (!result.ok) throw new Error(`${result.reason} at ${result.offset}`);
  return result;
}

/** The PPMID↔ESME prepayment messages (PCS01/PCS02) are MAC'd with device keys only: nobody outside can check them. */
const DEVICE_TO_DEVICE = /NA_PCS0[12]\//;

describe('decoding the RTDS 4.5.0 set', () => {
  it('decodes every RESPONSE and ALERT without error, every checkable MAC and signature valid', () => {
    expect(deliveries).toHaveLength(596);
    for (const message of deliveries) {
      const result = decodeGbcs(message.bytes, keys);
      expect(result, message.name).toMatchObject({ ok: true });
      if (!result.ok) continue;
      expect([result.mac, result.signature], message.name).not.toContain('invalid');
      expect(result.decryption, message.name).not.toBe('invalid');
      if (DEVICE_TO_DEVICE.test(message.name)) expect(result.mac).toBe('unknown');
      else expect(result.trusted, message.name).toBe(true);
      expect(result.useCase, message.name).not.toBeNull();
    }
  });

  it('the use-case table covers every message code in the set', () => {
    const codes = new Set(allUseCases().map((row) => row.messageCode));
    for (const message of loadRtds()) {
      const result = decodeGbcs(message.bytes, keys);
      if (result.ok) expect(codes.has(Number(result.messageCode)), message.name).toBe(true);
    }
  });

  it('ECS17b single success decrypts to an import register of 10 Wh', () => {
    const result = decoded(rtdsMessage('ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX'));
    expect(result).toMatchObject({
      cra: 'response',
      counter: '1000',
      originator: '00-DB-12-34-56-78-90-A0',
      recipient: '90-B3-D5-1F-30-01-00-00',
      messageCode: '0x0027',
    });
    expect(result).toMatchObject({ useCase: 'ECS17b', serviceReference: '4.1.1', mac: 'valid', signature: 'absent', encrypted: true, decryption: 'decrypted' });
    expect(result.plaintext).toBe('02010204060000000A02020F00161E060000000A02020F001620');
    expect(result.reading).toEqual({ value: 10, unit: 'Wh' });
    expect(result.result).toMatchObject({
      kind: 'register-reading',
      registers: [
        { value: 10, unit: 'Wh' },
        { value: 10, unit: 'varh' },
      ],
    });
  });

  it('GCS13a reliable response reads 12.345 m³ (summation × multiplier ÷ divisor)', () => {
    const result = decoded(rtdsMessage('GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX'));
    expect(result).toMatchObject({ useCase: 'GCS13a', mac: 'valid', encrypted: true, decryption: 'decrypted' });
    expect(result.reading).toEqual({ value: 12.345, unit: 'm3' });
  });

  it('types the results the app uses: 11.2 firmware, 8.7.2 join with its reason, 8.9/8.11 device log, 4.17 daily log, alerts', () => {
    expect(decoded(rtdsMessage('ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX')).result).toEqual({ kind: 'firmware-version', version: '0123ABCD' });
    expect(decoded(rtdsMessage('CS08_11.2_SUCCESS_RESPONSE_GBCS.HEX')).result).toEqual({ kind: 'firmware-version', version: '0123ABCD' });
    expect(decoded(rtdsMessage('GCS38_11.2_SUCCESS_RESPONSE_GBCS.HEX')).result).toEqual({ kind: 'firmware-version', version: '0123ABCD' });
    expect(decoded(rtdsMessage('CS03B_8.7.2_SUCCESS_RESPONSE_GBCS.HEX')).result).toEqual({ kind: 'join', success: true, responseCode: 0, reason: 'success' });
    expect(decoded(rtdsMessage('CS03CNonCritical_8.7.2_ERROR_RESPONSE_GBCS.HEX')).result).toEqual({
      kind: 'join',
      success: false,
      responseCode: 11,
      reason: 'invalidOrMissingCertificate',
    });
    expect(decoded(rtdsMessage('CCS01_8.11_ERROR_RESPONSE_GBCS.HEX')).result).toEqual({ kind: 'device-log-update', success: false, results: [0, 1, 250] });
    expect(decoded(rtdsMessage('CCS06_8.9_SUCCESS_RESPONSE_GBCS.HEX')).result).toEqual({
      kind: 'device-log',
      success: true,
      entries: [
        { deviceId: '00DB1234567890A0', lastCommunications: '2014-12-31T23:50:00.000Z' },
        { deviceId: '00DB1234567890A1', lastCommunications: '2014-12-31T23:40:00.000Z' },
      ],
    });
    expect(decoded(rtdsMessage('ECS66_4.17_SUCCESS_RESPONSE_GBCS.HEX')).result).toMatchObject({
      kind: 'daily-log',
      entries: [{ time: '2014-12-02T00:00:00.000Z', value: 95 }, {}, {}, {}],
    });
    expect(decoded(rtdsMessage('GCS61_4.17_SUCCESS_RESPONSE_GBCS.HEX')).result).toMatchObject({
      kind: 'daily-log',
      entries: expect.arrayContaining([{ time: '2014-12-22T00:00:00.000Z', value: 48714 }]),
    });
    expect(decoded(rtdsMessage('GCA-DLMS_NA_8F30_ALERT_GBCS.HEX')).result).toEqual({
      kind: 'alert',
      alertCode: '0x8F30',
      timestamp: '2015-01-01T00:00:00.000Z',
    });
  });

  it('withholds the content of a message nobody could check, and says why', () => {
    const result = decodeGbcs(rtdsMessage('ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX'), combineKeyStores([]));
    expect(result).toMatchObject({ ok: true, mac: 'unknown', trusted: false, content: null, plaintext: null, reading: null, decryption: 'withheld' });
    expect(result.ok && result.untrustedReason).toMatch(/could not be checked/);
  });
});

describe('a flipped bit anywhere', () => {
  const everyBit = [
    'ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX',
    'GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX',
    'CS03A2NonCritical_8.7.2_SUCCESS_RESPONSE_GBCS.HEX',
    'GCA-DLMS_NA_8F30_ALERT_GBCS.HEX',
  ];

  /** Byte offsets of the originator and recipient system titles: a flip there names a party whose key we lack. */
  function partyBytes(original: Buffer): Set<number> {
    const frame = readFrame(original);
    const at = (title: Uint8Array): number => title.byteOffset - original.byteOffset;
    const offsets = new Set<number>();
    for (const title of [frame.header.originator, frame.header.recipient]) for (let i = 0; i < 8; i++) offsets.add(at(title) + i);
    return offsets;
  }

  function expectRefused(original: Buffer, bit: number, where: string): void {
    const bytes = Buffer.from(original);
    bytes[bit >> 3]! ^= 0x80 >> (bit & 7);
    const result = decodeGbcs(bytes, keys);
    if (!result.ok) return; // no longer GBCS: refused with a reason, nothing shown
    expect(result.trusted, where).toBe(false);
    if (partyBytes(original).has(bit >> 3) && ![result.mac, result.signature].includes('invalid')) {
      // The message now names a device or organisation nobody has a key for: unknown, not valid — and withheld.
      expect([result.mac, result.signature], where).toContain('unknown');
      expect(result.untrustedReason, where).toMatch(/could not be checked/);
    } else expect([result.mac, result.signature], where).toContain('invalid');
    expect(result.content, where).toBeNull();
    expect(result.plaintext, where).toBeNull();
    expect(result.reading, where).toBeNull();
  }

  it.each(everyBit)('of %s makes its MAC or signature invalid, or the message unreadable, and withholds its content', (name) => {
    const original = rtdsMessage(name);
    for (let bit = 0; bit < original.length * 8; bit++) expectRefused(original, bit, `${name} bit ${bit}`);
  });

  it('in each RTDS response and alert (one seeded bit each) does the same', () => {
    let seed = 0x6b63;
    const random = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) / 0x1000000;
    for (const message of deliveries) {
      if (DEVICE_TO_DEVICE.test(message.name)) continue;
      const bit = Math.floor(random() * message.bytes.length * 8);
      expectRefused(message.bytes, bit, `${message.name} bit ${bit}`);
    }
  });
});

describe('malformed input', () => {
  it('gets a reason and a byte offset, never an exception', () => {
    expect(decodeGbcs(Buffer.from('3c3f786d6c', 'hex'), keys)).toEqual({ ok: false, reason: 'not a GBCS message: tag 0x3c (expected DD or DF)', offset: 0 });
    const truncated = rtdsMessage('ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX').subarray(0, 100);
    expect(decodeGbcs(truncated, keys)).toMatchObject({ ok: false, offset: 9 });
  });
});
