import { describe, expect, it } from 'vitest';
import {
  decodeConfigureReporting,
  decodeReadRequest,
  decodeReadResponse,
  decodeReport,
  decodeZclFrame,
  encodeReadResponse,
  encodeReport,
  encodeZclFrame,
  ZclDecodeError,
  ZclStatus,
  ZclType,
} from './zcl-codec';

describe('ZCL codec', () => {
  it('decodes a read attributes request for CurrentSummationDelivered and Divisor', () => {
    const frame = decodeZclFrame(
      Buffer.from([
        0x00, // frame control: global, client→server, default response enabled
        0x2a, // TSN 42
        0x00, // Read Attributes
        0x00,
        0x00, // attribute 0x0000 CurrentSummationDelivered
        0x02,
        0x03, // attribute 0x0302 Divisor
      ]),
    );
    expect(frame.header).toMatchObject({ frameType: 0, direction: 0, tsn: 42, commandId: 0, manufacturerSpecific: false });
    expect(decodeReadRequest(frame.payload)).toEqual([0x0000, 0x0302]);
  });
  it('encodes a read response with a uint48 and an unsupported attribute', () => {
    const payload = encodeReadResponse([
      { attrId: 0x0000, status: 0, type: ZclType.UINT48, value: 0x0102030405 },
      { attrId: 0x0001, status: ZclStatus.UNSUPPORTED_ATTRIBUTE },
    ]);
    expect(payload).toEqual(
      Buffer.from([
        0x00,
        0x00,
        0x00,
        0x25, // attr 0x0000, SUCCESS, type uint48
        0x05,
        0x04,
        0x03,
        0x02,
        0x01,
        0x00, // value little-endian, 6 bytes
        0x01,
        0x00,
        0x86, // attr 0x0001, UNSUPPORTED_ATTRIBUTE
      ]),
    );
    expect(decodeReadResponse(payload)).toEqual([
      { attrId: 0, status: 0, type: 0x25, value: 0x0102030405 },
      { attrId: 1, status: 0x86 },
    ]);
  });
  it('round-trips a manufacturer-specific server→client header', () => {
    const data = encodeZclFrame({ frameType: 0, direction: 1, disableDefaultResponse: true, manufacturerCode: 0x1234, tsn: 7, commandId: 1 }, Buffer.alloc(0));
    expect(data).toEqual(Buffer.from([0x1c, 0x34, 0x12, 0x07, 0x01]));
    expect(decodeZclFrame(data).header).toMatchObject({ manufacturerCode: 0x1234, direction: 1, disableDefaultResponse: true });
  });
  it('decodes configure reporting with a reportable change for analog types only', () => {
    const records = decodeConfigureReporting(
      Buffer.from([
        0x00,
        0x00,
        0x00,
        0x25,
        0x01,
        0x00,
        0x3c,
        0x00, // dir 0, attr 0, uint48, min 1 s, max 60 s
        0x0a,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00, // reportable change 10 (6 bytes)
        0x00,
        0x00,
        0x03,
        0x30,
        0x00,
        0x00,
        0x00,
        0x00, // dir 0, attr 0x0300 enum8: no change field
      ]),
    );
    expect(records).toEqual([
      { direction: 0, attrId: 0, type: 0x25, minInterval: 1, maxInterval: 60, reportableChange: 10 },
      { direction: 0, attrId: 0x0300, type: 0x30, minInterval: 0, maxInterval: 0 },
    ]);
  });
  it('round-trips signed int24 and strings in reports', () => {
    const records = [
      { attrId: 0x0400, type: ZclType.INT24, value: -1500 },
      { attrId: 0x0005, type: ZclType.CHAR_STR, value: 'ESME' },
    ];
    expect(decodeReport(encodeReport(records))).toEqual(records);
  });
  it('throws a decode error (never a crash) on truncated input', () => {
    expect(() => decodeZclFrame(Buffer.from([0x00, 0x01]))).toThrow(ZclDecodeError);
    expect(() => decodeReadResponse(Buffer.from([0x00, 0x00, 0x00, 0x25, 0x01]))).toThrow(ZclDecodeError);
    expect(() => decodeReadRequest(Buffer.from([0x00]))).toThrow(ZclDecodeError);
  });
  it('refuses a SUCCESS read record that ends before its data type with a decode error, not a TypeError', () => {
    // attribute 0x0000, status SUCCESS, then nothing: the type byte is missing
    expect(() => decodeReadResponse(Buffer.from([0x00, 0x00, 0x00]))).toThrow(ZclDecodeError);
    expect(() => decodeReadResponse(Buffer.from([0x00, 0x00, 0x00]))).toThrow(/no data type/);
  });
});
