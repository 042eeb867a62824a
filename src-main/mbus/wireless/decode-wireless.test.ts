import { describe, expect, it } from 'vitest';
import { decodeTelegram } from '../decode';
import { encodeRecords } from '../common/encode-records';
import { parseHex } from '../common/hex';
import { FormatCache } from '../common/compact';
import { crcEn13757 } from '../common/crc';
import { decodeWireless } from './decode-wireless';
import { encodeWirelessTelegram } from './encode-wireless';
import { addFormatACrc, stripLinkCrc } from './link-blocks';
import { aesCmac } from '../common/security';

const hex = (s: string): Uint8Array => parseHex(s)!;
const keyOf = (k: string) => () => hex(k);

// OMS Vol.2 annex examples as used in lvogt/wireless-mbus-parser (MIT); domain-mbus.md §6 rows 1-3.
const MODE5_WITH_CRC = '2E44931578563412330333637A2A0020255923C95AAA26D1B2E7493BC2AD013EC4A6F6D3529B520EDFF0EA6DEFC955B29D6D69EBF3EC8A';
const MODE5_KEY = '0102030405060708090A0B0C0D0E0F11';
const MODE7 = '434493157856341233038C2075900F002C25B30A000021924D4F2FB66E017A75002007109058475F4BC91DF878B80A1B0F98B629024AAC727942BFC549233C0140829B93';
const MODE7_KEY = '000102030405060708090A0B0C0D0E0F';
const LUG_PLAIN = '2C44A7320613996707047A821000202F2F0C06000000000C14000000000C22224101000B5A4102000B5E4000F0';

describe('EN 13757-4 CRC', () => {
  it('matches the domain reference vector', () => {
    // 2E L, 44 C (SND_NR), 9315 M (ELS), 78563412 id, 33 version, 03 gas → CRC 0x3363
    expect(crcEn13757(hex('2E449315785634123303'))).toBe(0x3363);
  });
});

describe('AES-CMAC (RFC 4493 test vectors)', () => {
  const key = hex('2b7e151628aed2a6abf7158809cf4f3c');
  it.each([
    ['', 'bb1d6929e95937287fa37d129b756746'],
    ['6bc1bee22e409f96e93d7e117393172a', '070a16b46b4d4144f79bdd9dd04a287c'],
    ['6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411', 'dfa66747de9ae63030ca32611497c827'],
  ])('message %s', (message, mac) => {
    expect(aesCmac(key, hex(message)).toString('hex')).toBe(mac);
  });
});

describe('OMS annex telegrams', () => {
  it('mode 5, format A with CRC blocks: ELS gas meter 12345678, 28504.27 m3', () => {
    const result = decodeTelegram(hex(MODE5_WITH_CRC), keyOf(MODE5_KEY));
    if (!result.ok) throw new Error(result.error.reason);
    const t = result.telegram;
    expect(t.header).toMatchObject({ id: '12345678', manufacturer: 'ELS', version: 0x33, medium: 'gas', accessNumber: 0x2a, status: 0 });
    expect(t).toMatchObject({ encrypted: true, decrypted: true });
    expect(t.wireless).toMatchObject({ crc: 'present', format: 'A', securityMode: 5 });
    expect(t.records[0]).toMatchObject({ quantity: 'volume', value: 28504.27, unit: 'm3', storage: 0, tariff: 0, function: 'instantaneous' });
    expect(t.records[1]).toMatchObject({ quantity: 'date-time', value: '2008-05-31T23:50:00' });
    expect(t.records[2]).toMatchObject({ quantity: 'error-flags', value: 0 });
  });

  it('mode 5 decodes the same with the CRC blocks stripped, and says so', () => {
    const stripped = stripLinkCrc(hex(MODE5_WITH_CRC));
    if (!stripped.ok) throw new Error(stripped.error.reason);
    const result = decodeTelegram(stripped.value.bytes, keyOf(MODE5_KEY));
    expect(result.ok && result.telegram.wireless?.crc).toBe('stripped');
    expect(result.ok && result.telegram.records[0]?.value).toBe(28504.27);
  });

  it('mode 7 with ELL, AFL counter and MAC: same values', () => {
    const result = decodeTelegram(hex(MODE7), keyOf(MODE7_KEY));
    if (!result.ok) throw new Error(result.error.reason);
    const t = result.telegram;
    expect(t.wireless).toMatchObject({ securityMode: 7, afl: { messageCounter: 2739, mac: '21924D4F2FB66E01' } });
    expect(t.decrypted).toBe(true);
    expect(t.records[0]).toMatchObject({ quantity: 'volume', value: 28504.27, unit: 'm3' });
    expect(t.records[1]).toMatchObject({ value: '2008-05-31T23:50:00' });
  });

  it('reports mode 5 and mode 7 as undecryptable without a key or with a wrong one, header intact', () => {
    for (const [telegram, keys] of [
      [MODE5_WITH_CRC, undefined],
      [MODE5_WITH_CRC, keyOf(MODE7_KEY)],
      [MODE7, undefined],
      [MODE7, keyOf(MODE5_KEY)],
    ] as const) {
      const result = decodeTelegram(hex(telegram), keys);
      if (!result.ok) throw new Error(result.error.reason);
      expect(result.telegram).toMatchObject({ encrypted: true, decrypted: false, records: [] });
      expect(result.telegram.header?.id).toBe('12345678');
      expect(result.telegram.decryptionError).toMatch(keys ? /wrong key|MAC/ : /no key/);
    }
  });

  it('mode 7 detects an altered ciphertext through the MAC, not only through 2F2F', () => {
    const bytes = hex(MODE7);
    bytes[bytes.length - 1] ^= 0x01; // last ciphertext byte: 2F2F at the start still decrypts fine
    const result = decodeTelegram(bytes, keyOf(MODE7_KEY));
    expect(result.ok && result.telegram.decryptionError).toMatch(/MAC/);
  });

  it('mode 7 refuses a telegram whose AFL announces no MAC, even with the right key', () => {
    const bytes = hex(MODE7);
    const afl = bytes.indexOf(0x90, 10); // AFL: CI 0x90, length, FCL (LE)
    bytes[afl + 3]! &= ~0x04; // clear FCL bit 0x0400 "MAC present": the ciphertext could then be altered unseen
    const result = decodeTelegram(bytes, keyOf(MODE7_KEY));
    expect(result.ok && result.telegram.decrypted).toBe(false);
    expect(result.ok && result.telegram.decryptionError).toMatch(/without an AFL MAC/);
  });

  it('plain LUG heat meter 67991306 with five records', () => {
    const result = decodeTelegram(hex(LUG_PLAIN));
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.telegram.header).toMatchObject({ id: '67991306', manufacturer: 'LUG', accessNumber: 130, medium: 'heat' });
    expect(result.telegram.encrypted).toBe(false);
    expect(result.telegram.records).toHaveLength(5);
    expect(result.telegram.records[3]).toMatchObject({ quantity: 'flow-temperature', value: 24.1, unit: '°C' });
  });

  it('reports a bad CRC with the offset of the CRC bytes', () => {
    const bytes = hex(MODE5_WITH_CRC);
    bytes[5] ^= 0x10; // inside block 1 (bytes 0-9), whose CRC sits at offsets 10-11
    const result = decodeWireless(bytes);
    expect(result).toMatchObject({ ok: false, error: { offset: 10 } });
    expect(!result.ok && result.error.reason).toMatch(/CRC/);
  });

  it('decodes what a truncated telegram holds and says the L-field disagrees', () => {
    const result = decodeWireless(hex(LUG_PLAIN).subarray(0, 30));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.telegram.header).toMatchObject({ manufacturer: 'LUG', id: '67991306' });
    expect(result.telegram.note).toMatch(/L-field says 45 bytes but 30 arrived/);
    expect(result.telegram.records.map((r) => r.quantity)).toEqual(['energy', 'volume']);
    expect(result.telegram.undecoded).toMatchObject({ offset: 29, length: 1 });
  });

  it('refuses input too short to hold a link-layer header', () => {
    expect(decodeWireless(hex(LUG_PLAIN).subarray(0, 11))).toMatchObject({ ok: false, error: { offset: 11 } });
  });
});

describe('wireless round trips through our encoder', () => {
  const meter = { manufacturer: 'HAN', id: '1A2B3C4D', version: 0x01, deviceType: 0x07 };
  const records = encodeRecords([
    { vif: [0x13], data: { type: 'int', bytes: 4, value: 123456 } },
    { vif: [0x6d], data: { type: 'date-time', value: '2024-12-31T12:30' } },
    { vif: [0x6c], storage: 1, data: { type: 'date', value: '2024-12-31' } },
  ]);
  const key = hex('00112233445566778899AABBCCDDEEFF');

  it.each([
    ['plain', { mode: 0 } as const],
    ['mode 5', { mode: 5, key } as const],
    ['mode 7', { mode: 7, key, messageCounter: 77 } as const],
  ])('%s, with and without CRC blocks', (_name, security) => {
    for (const withCrc of [false, true]) {
      const bytes = encodeWirelessTelegram({ meter, accessNumber: 9, records, security, withCrc });
      const result = decodeTelegram(bytes, () => key);
      if (!result.ok) throw new Error(result.error.reason);
      expect(result.telegram.header).toMatchObject({ id: '1A2B3C4D', manufacturer: 'HAN', medium: 'water' });
      expect(result.telegram.wireless?.crc).toBe(withCrc ? 'present' : 'stripped');
      expect(result.telegram.records.map((r) => r.value)).toEqual([123.456, '2024-12-31T12:30:00', '2024-12-31']);
    }
  });

  it('format A CRC insertion and removal are inverse', () => {
    const bare = hex(LUG_PLAIN);
    const stripped = stripLinkCrc(addFormatACrc(bare));
    expect(stripped.ok && Buffer.from(stripped.value.bytes).equals(Buffer.from(bare))).toBe(true);
  });
});

describe('ELL with session number and AES-CTR (CI 0x8D)', () => {
  const meter = { manufacturer: 'KAM', id: '87654321', version: 0x1b, deviceType: 0x16 };
  const key = hex('4E0F35C4CB36B6F8FEC84F7A0A1F0A2B');
  const records = encodeRecords([
    { vif: [0x13], data: { type: 'int', bytes: 4, value: 6408 } },
    { vif: [0x6d], data: { type: 'date-time', value: '2024-03-01T06:00' } },
  ]);
  const telegram = encodeWirelessTelegram({ meter, accessNumber: 0x31, records, security: { mode: 0 }, ellCtr: { key, sessionNumber: 0x0123456 } });

  it('decrypts with the right key, checked by the payload CRC', () => {
    const result = decodeTelegram(telegram, () => key);
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.telegram.wireless?.ell).toMatchObject({ ci: 0x8d, accessNumber: 0x31 });
    expect(result.telegram.records[0]).toMatchObject({ quantity: 'volume', value: 6.408, unit: 'm3' });
    expect(result.telegram).toMatchObject({ encrypted: true, decrypted: true, decryptionCheck: 'payload-crc' });
  });

  it('reports a wrong key or no key as undecryptable, not as malformed', () => {
    for (const keys of [() => hex('00000000000000000000000000000000'), undefined]) {
      const result = decodeTelegram(telegram, keys);
      expect(result.ok && result.telegram).toMatchObject({ encrypted: true, decrypted: false, header: { id: '87654321', manufacturer: 'KAM' } });
      expect(result.ok && result.telegram.decryptionError).toMatch(keys ? /CRC/ : /no key/);
    }
  });
});

describe('compact frames (CI 0x79)', () => {
  const records = encodeRecords([
    { vif: [0x13], data: { type: 'int', bytes: 4, value: 6408 } },
    { vif: [0x6c], storage: 1, data: { type: 'date', value: '2025-12-31' } },
    { vif: [0xfd, 0x17], data: { type: 'int', bytes: 1, value: 0 } },
  ]);
  const later = encodeRecords([
    { vif: [0x13], data: { type: 'int', bytes: 4, value: 6411 } },
    { vif: [0x6c], storage: 1, data: { type: 'date', value: '2025-12-31' } },
    { vif: [0xfd, 0x17], data: { type: 'int', bytes: 1, value: 4 } },
  ]);
  const kam = { manufacturer: 'KAM', id: '87654321', version: 0x1b, deviceType: 0x16 };
  const key = hex('4E0F35C4CB36B6F8FEC84F7A0A1F0A2B');

  it('needs the full frame first, then decodes compact frames of the same meter', () => {
    const formats = new FormatCache();
    const compact = encodeWirelessTelegram({
      meter: kam,
      accessNumber: 2,
      records: later,
      security: { mode: 0 },
      ellCtr: { key, sessionNumber: 2 },
      layout: 'compact',
    });
    const waiting = decodeTelegram(compact, () => key, formats);
    expect(waiting.ok && waiting.telegram).toMatchObject({ records: [], decrypted: true });
    expect(waiting.ok && waiting.telegram.note).toMatch(/waiting for a full frame/);

    const full = encodeWirelessTelegram({ meter: kam, accessNumber: 1, records, security: { mode: 0 }, ellCtr: { key, sessionNumber: 1 }, layout: 'none' });
    expect(decodeTelegram(full, () => key, formats).ok).toBe(true);
    expect(formats.size).toBe(1);
    const result = decodeTelegram(compact, () => key, formats);
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.telegram.records.map((r) => r.value)).toEqual([6.411, '2025-12-31', 4]);
    expect(result.telegram.records.map((r) => r.quantity)).toEqual(['volume', 'date', 'error-flags']);
  });

  it('keeps formats per meter address: another manufacturer with the same id does not reuse them', () => {
    const formats = new FormatCache();
    decodeTelegram(encodeWirelessTelegram({ meter: kam, accessNumber: 1, records, security: { mode: 0 }, layout: 'none' }), undefined, formats);
    const other = { ...kam, manufacturer: 'DME' };
    const compact = encodeWirelessTelegram({ meter: other, accessNumber: 3, records: later, security: { mode: 0 }, layout: 'compact' });
    const result = decodeTelegram(compact, undefined, formats);
    expect(result.ok && result.telegram.note).toMatch(/waiting/);
    const own = decodeTelegram(
      encodeWirelessTelegram({ meter: kam, accessNumber: 3, records: later, security: { mode: 0 }, layout: 'compact' }),
      undefined,
      formats,
    );
    expect(own.ok && own.telegram.records).toHaveLength(3);
  });

  it('shows no values for compact data whose full-frame CRC does not hold, but keeps the meter', () => {
    const formats = new FormatCache();
    decodeTelegram(encodeWirelessTelegram({ meter: kam, accessNumber: 1, records, security: { mode: 0 }, layout: 'none' }), undefined, formats);
    const compact = encodeWirelessTelegram({ meter: kam, accessNumber: 3, records: later, security: { mode: 0 }, layout: 'compact' });
    compact[compact.length - 1] ^= 0xff;
    const result = decodeTelegram(compact, undefined, formats);
    expect(result).toMatchObject({ ok: true, telegram: { header: { manufacturer: 'KAM' }, records: [] } });
    expect(result.ok && result.telegram.note).toMatch(/full-frame CRC mismatch/);
    expect(result.ok && result.telegram.undecoded?.reason).toMatch(/full-frame CRC mismatch/);
  });
});
