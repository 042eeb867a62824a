import { describe, expect, it } from 'vitest';
import { readAsn1Content } from './asn1';
import { ByteReader } from './bytes';
import { formatError } from './format-error.test-support';
import { readDlmsApdu, readDlmsData } from './dlms';
import { readGbz, readZclPayload } from './gbz';
import { readHexText } from './rtds-corpus';

const reader = (hex: string): ByteReader => new ByteReader(readHexText(hex));

describe('DLMS A-XDR data (RTDS vectors)', () => {
  it('reads the decrypted ECS17b register: value and scaler-unit pairs', () => {
    // 02 01 (structure of 1) 02 04 (structure of 4) 06 0000000A (double-long-unsigned 10) 02 02 0F 00 16 1E
    // (scaler 0, unit 30 = Wh) 06 0000000A 02 02 0F 00 16 20 (unit 32 = varh)
    const data = readDlmsData(reader('02010204060000000A02020F00161E060000000A02020F001620'));
    expect(data).toEqual({
      type: 'structure',
      items: [
        {
          type: 'structure',
          items: [
            { type: 'double-long-unsigned', value: 10 },
            {
              type: 'structure',
              items: [
                { type: 'integer', value: 0 },
                { type: 'enum', value: 30 },
              ],
            },
            { type: 'double-long-unsigned', value: 10 },
            {
              type: 'structure',
              items: [
                { type: 'integer', value: 0 },
                { type: 'enum', value: 32 },
              ],
            },
          ],
        },
      ],
    });
  });

  it('reads signed, 64-bit, string and bit-string types', () => {
    expect(readDlmsData(reader('0FDD'))).toEqual({ type: 'integer', value: -35 });
    expect(readDlmsData(reader('10FFFE'))).toEqual({ type: 'long', value: -2 });
    expect(readDlmsData(reader('14FFFFFFFFFFFFFFFF'))).toEqual({ type: 'long64', value: '-1' });
    expect(readDlmsData(reader('15FFFFFFFFFFFFFFFF'))).toEqual({ type: 'long64-unsigned', value: '18446744073709551615' });
    expect(readDlmsData(reader('0A03414243'))).toEqual({ type: 'visible-string', value: 'ABC' });
    expect(readDlmsData(reader('0408C8'))).toEqual({ type: 'bit-string', bits: '11001000' });
  });

  it('reads a compact array (type description, then untagged elements)', () => {
    // 13 (compact-array) 02 02 06 12 (structure of double-long-unsigned, long-unsigned) 0C (12 bytes of contents)
    const data = readDlmsData(reader('1302020612' + '0C' + '000000010002' + '000000030004'));
    expect(data).toEqual({
      type: 'array',
      items: [
        {
          type: 'structure',
          items: [
            { type: 'double-long-unsigned', value: 1 },
            { type: 'long-unsigned', value: 2 },
          ],
        },
        {
          type: 'structure',
          items: [
            { type: 'double-long-unsigned', value: 3 },
            { type: 'long-unsigned', value: 4 },
          ],
        },
      ],
    });
  });

  it('reads an ACCESS-RESPONSE (RTDS CCS01 error response: action ok, two sets refused)', () => {
    // DA, invoke id 20000517, 00 no date-time, 00 no request specs, 03 × null data, 03 results: action 0, set 1, set 250
    expect(readDlmsApdu(reader('DA20000517000003000000030300020102FA'))).toEqual({
      apdu: 'access-response',
      invokeId: 0x20000517,
      data: [{ type: 'null' }, { type: 'null' }, { type: 'null' }],
      results: [
        { kind: 'action', result: 0 },
        { kind: 'set', result: 1 },
        { kind: 'set', result: 250 },
      ],
    });
  });

  it('refuses unknown tags, impossible counts and deep nesting with the offset', () => {
    expect(formatError(() => readDlmsData(reader('020107')))).toMatchObject({ offset: 2, reason: 'unknown DLMS data tag 0x07' });
    expect(formatError(() => readDlmsData(reader('0102'))).reason).toMatch(/elements cannot fit/);
    expect(formatError(() => readDlmsData(reader('0101'.repeat(40) + '00'))).reason).toMatch(/nested too deeply/);
  });
});

describe('GBZ and ZCL (RTDS GCS13a vector)', () => {
  it('reads a Metering Read Attributes Response, little-endian, with types', () => {
    // decrypted payload of GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE: 0302 divisor u24 1000, 0301 multiplier
    // u24 1, 0300 unit enum8 1 (m³), 0000 summation u48 12345
    const { attributes } = readZclPayload(reader('02030022E8030001030022010000000300300100000025393000000000'), 0x18, 0x01);
    expect(attributes).toEqual([
      { id: 0x0302, status: 0, dataType: 0x22, value: 1000 },
      { id: 0x0301, status: 0, dataType: 0x22, value: 1 },
      { id: 0x0300, status: 0, dataType: 0x30, value: 1 },
      { id: 0x0000, status: 0, dataType: 0x25, value: 12345 },
    ]);
  });

  it('reads a GBZ header and plain component (RTDS GCS38 11.2 response)', () => {
    // 0109 profile, 01 component; 01 control, 0702 cluster, 000C length; ZCL 08 (server to client) 00 (sequence)
    // 01 (Read Attributes Response); attribute 0206 status 00 type 41 (octet string) 04 0123ABCD
    const gbz = readGbz(reader('010901010702000C08000106020041040123ABCD'), false);
    expect(gbz.components[0]).toMatchObject({ cluster: 0x0702, commandId: 1, attributes: [{ id: 0x0206, value: '0123ABCD' }] });
  });

  it('refuses a profile other than Smart Energy', () => {
    expect(formatError(() => readGbz(reader('0104010100'), false)).reason).toMatch(/0x0109/);
  });
});

describe('ASN.1 (RTDS CS07 8.9 response)', () => {
  it('reads DER into a tree', () => {
    const node = readAsn1Content(reader('3032020100302D300D04080102030405060708020103300D040800DB123456789099020103300D040800DB123456789097020105'));
    expect(node).toMatchObject({
      tag: 16,
      constructed: true,
      children: [
        { tag: 2, hex: '00' },
        {
          tag: 16,
          children: [
            {
              tag: 16,
              children: [
                { tag: 4, hex: '0102030405060708' },
                { tag: 2, hex: '03' },
              ],
            },
            {},
            {},
          ],
        },
      ],
    });
  });

  it('refuses a length running past the content', () => {
    expect(formatError(() => readAsn1Content(reader('3005020100')))).toMatchObject({ offset: 2, reason: expect.stringMatching(/ASN.1 contents/) });
  });
});
