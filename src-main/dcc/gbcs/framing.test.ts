import { describe, expect, it } from 'vitest';
import { ByteReader, toHex } from './bytes';
import { formatError } from './format-error.test-support';
import { readFrame } from './framing';
import { readHexText, rtdsMessage } from './rtds-corpus';

const ECS17B_RESPONSE = rtdsMessage('ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX');

describe('BER lengths', () => {
  it('reads short and long forms', () => {
    expect(new ByteReader(Uint8Array.of(0x7f)).berLength()).toBe(0x7f);
    expect(new ByteReader(Uint8Array.of(0x81, 0x95)).berLength()).toBe(0x95);
    expect(new ByteReader(Uint8Array.of(0x82, 0x01, 0xe1)).berLength()).toBe(0x1e1);
  });

  it('refuses the indefinite form and lengths of more than 3 bytes, with the offset', () => {
    expect(formatError(() => new ByteReader(Uint8Array.of(0, 0x80), 1).berLength())).toMatchObject({ offset: 1 });
    expect(formatError(() => new ByteReader(Uint8Array.of(0x84, 1, 2, 3, 4)).berLength()).reason).toMatch(/unsupported BER length/);
  });
});

describe('GBCS framing on RTDS vectors', () => {
  it('reads the MAC header and grouping header of the ECS17b single success response', () => {
    const frame = readFrame(ECS17B_RESPONSE);
    // DD 00×5 (empty fields) 00 (no key-info) 81 AE (ciphered content length) 11 00000000 (security header)
    expect(toHex(ECS17B_RESPONSE.subarray(0, 14))).toBe('DD00000000000081AE1100000000');
    expect(frame.macHeader?.securityControl).toBe(0x11);
    expect(frame.macHeader?.mac).toHaveLength(12);
    expect(frame.macHeader?.macOffset).toBe(ECS17B_RESPONSE.length - 12);
    // DF 09 02 00000000000003E8: CRA response, originator counter 1000
    expect(frame.header.cra).toBe('response');
    expect(frame.header.counter).toBe(1000n);
    expect(toHex(frame.header.originator)).toBe('00DB1234567890A0');
    expect(toHex(frame.header.recipient)).toBe('90B3D51F30010000');
    expect(toHex(frame.header.dateTime!)).toBe('07DF0101FF000000008000FF');
    expect(frame.header.messageCode).toBe(0x0027);
    expect(frame.content[0]).toBe(0xda);
    expect(frame.signature).toBeUndefined();
    // The signed data start after the DF tag and end with the content.
    expect(frame.signedData[0]).toBe(0x09);
  });

  it('reads a bare general-signing response to a critical command with its 64-byte signature', () => {
    const frame = readFrame(rtdsMessage('CS03A2NonCritical_8.7.2_SUCCESS_RESPONSE_GBCS.HEX'));
    expect(frame.macHeader).toBeUndefined();
    expect(frame.signature).toHaveLength(64);
    expect(frame.header.messageCode).toBe(0x00ab);
  });

  it('reads supplementary remote party fields (a DCC Boxed 11.2 response on behalf of the test User)', () => {
    const frame = readFrame(
      readHexText(
        'DD000000000000551100000000DF090200000182AC7B5A070888738457002F961E0890B3D51F300000020012005990B3D51F3001000000000182AC7B58DF11DA207B5A0700000109040C230000010100009DBB7D096C5C830C28AD879F',
      ),
    );
    expect(toHex(frame.header.recipient)).toBe('90B3D51F30000002');
    expect(toHex(frame.header.supplementaryRemotePartyId!)).toBe('90B3D51F30010000');
    expect(frame.header.supplementaryRemotePartyCounter).toBe(0x182ac7b58dfn);
  });

  it('marks a pre-command (no signature field yet)', () => {
    expect(readFrame(rtdsMessage('ECS70_6.11_SUCCESS_PRECOMMAND_GBCS.HEX')).preCommand).toBe(true);
  });

  it('refuses GBT, other tags, truncation and trailing bytes with a reason and offset', () => {
    expect(formatError(() => readFrame(Uint8Array.of(0xe0, 0x01))).reason).toMatch(/segmented block transfer/);
    expect(formatError(() => readFrame(Uint8Array.of(0x3c, 0x3f)))).toMatchObject({ offset: 0, reason: expect.stringMatching(/not a GBCS message/) });
    expect(formatError(() => readFrame(new Uint8Array()))).toMatchObject({ reason: 'empty message' });
    const truncated = formatError(() => readFrame(ECS17B_RESPONSE.subarray(0, 40)));
    expect(truncated.reason).toMatch(/ciphered content: needs 174 byte/);
    expect(truncated.offset).toBe(9);
    const trailing = formatError(() => readFrame(Buffer.concat([ECS17B_RESPONSE, Buffer.of(0)])));
    expect(trailing.reason).toMatch(/trailing/);
    expect(trailing.offset).toBe(ECS17B_RESPONSE.length);
  });
});
