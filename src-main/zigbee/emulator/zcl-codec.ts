/**
 * The slice of the ZigBee Cluster Library wire format the virtual SE devices need (ZCL spec 07-5123 §2.4–2.5):
 * frame header, read / write / configure reporting / report attributes / default response, and the data types
 * the Basic, Time and Metering clusters use. Numbers are little-endian.
 */

export const ZclStatus = {
  SUCCESS: 0x00,
  FAILURE: 0x01,
  UNSUP_CLUSTER_COMMAND: 0x81,
  UNSUP_GENERAL_COMMAND: 0x82,
  MALFORMED_COMMAND: 0x80,
  UNSUPPORTED_ATTRIBUTE: 0x86,
  INVALID_DATA_TYPE: 0x8d,
  READ_ONLY: 0x88,
  UNSUPPORTED_CLUSTER: 0xc3,
} as const;

export const ZclCommand = {
  READ: 0x00,
  READ_RSP: 0x01,
  WRITE: 0x02,
  WRITE_RSP: 0x04,
  CONFIGURE_REPORTING: 0x06,
  CONFIGURE_REPORTING_RSP: 0x07,
  REPORT: 0x0a,
  DEFAULT_RSP: 0x0b,
} as const;

export const ZclType = {
  BOOL: 0x10,
  BITMAP8: 0x18,
  UINT8: 0x20,
  UINT16: 0x21,
  UINT24: 0x22,
  UINT32: 0x23,
  UINT48: 0x25,
  INT8: 0x28,
  INT16: 0x29,
  INT24: 0x2a,
  INT32: 0x2b,
  ENUM8: 0x30,
  ENUM16: 0x31,
  CHAR_STR: 0x42,
  UTC: 0xe2,
  EUI64: 0xf0,
} as const;

const FIXED_SIZES: Record<number, number> = {
  0x10: 1,
  0x18: 1,
  0x19: 2,
  0x20: 1,
  0x21: 2,
  0x22: 3,
  0x23: 4,
  0x25: 6,
  0x28: 1,
  0x29: 2,
  0x2a: 3,
  0x2b: 4,
  0x30: 1,
  0x31: 2,
  0xe2: 4,
  0xf0: 8,
};

/** Analog types carry a reportable-change field in configure reporting (ZCL Table 2-10). */
const ANALOG = new Set([0x20, 0x21, 0x22, 0x23, 0x25, 0x28, 0x29, 0x2a, 0x2b, 0xe2]);

export type ZclValue = number | string;

export interface ZclHeader {
  readonly frameType: 0 | 1;
  readonly manufacturerSpecific: boolean;
  /** 0 = client to server, 1 = server to client. */
  readonly direction: 0 | 1;
  readonly disableDefaultResponse: boolean;
  readonly manufacturerCode?: number;
  readonly tsn: number;
  readonly commandId: number;
}

export interface ZclFrame {
  readonly header: ZclHeader;
  readonly payload: Buffer;
}

export class ZclDecodeError extends Error {}

export function decodeZclFrame(data: Buffer): ZclFrame {
  if (data.length < 3) throw new ZclDecodeError('ZCL frame shorter than its header');
  const fc = data[0]!;
  const manufacturerSpecific = (fc & 0x04) !== 0;
  if (manufacturerSpecific && data.length < 5) throw new ZclDecodeError('ZCL manufacturer-specific header truncated');
  const offset = manufacturerSpecific ? 3 : 1;
  return {
    header: {
      frameType: (fc & 0x03) === 1 ? 1 : 0,
      manufacturerSpecific,
      direction: (fc & 0x08) !== 0 ? 1 : 0,
      disableDefaultResponse: (fc & 0x10) !== 0,
      ...(manufacturerSpecific ? { manufacturerCode: data.readUInt16LE(1) } : {}),
      tsn: data[offset]!,
      commandId: data[offset + 1]!,
    },
    payload: data.subarray(offset + 2),
  };
}

export function encodeZclFrame(header: Omit<ZclHeader, 'manufacturerSpecific'> & { manufacturerSpecific?: boolean }, payload: Buffer): Buffer {
  const manufacturerSpecific = header.manufacturerCode !== undefined;
  const fc = header.frameType | (manufacturerSpecific ? 0x04 : 0) | (header.direction << 3) | (header.disableDefaultResponse ? 0x10 : 0);
  const head = manufacturerSpecific
    ? Buffer.from([fc, header.manufacturerCode! & 0xff, header.manufacturerCode! >> 8, header.tsn, header.commandId])
    : Buffer.from([fc, header.tsn, header.commandId]);
  return Buffer.concat([head, payload]);
}

export function encodeValue(type: number, value: ZclValue): Buffer {
  if (type === ZclType.CHAR_STR) {
    const text = Buffer.from(String(value), 'utf8');
    return Buffer.concat([Buffer.from([text.length]), text]);
  }
  if (type === ZclType.EUI64) return Buffer.from(String(value).padStart(16, '0'), 'hex').reverse();
  const size = FIXED_SIZES[type];
  if (size === undefined) throw new ZclDecodeError(`unsupported ZCL type 0x${type.toString(16)}`);
  const out = Buffer.alloc(size);
  const n = Number(value);
  const signed = type >= 0x28 && type <= 0x2f;
  if (signed) out.writeIntLE(n, 0, size);
  else out.writeUIntLE(n, 0, size);
  return out;
}

/** Reads one typed value; returns the value and the number of bytes consumed. */
export function decodeValue(type: number, data: Buffer, offset: number): [ZclValue, number] {
  if (type === ZclType.CHAR_STR) {
    const length = data[offset];
    if (length === undefined || offset + 1 + length > data.length) throw new ZclDecodeError('ZCL string truncated');
    return [data.subarray(offset + 1, offset + 1 + length).toString('utf8'), 1 + length];
  }
  const size = FIXED_SIZES[type];
  if (size === undefined) throw new ZclDecodeError(`unsupported ZCL type 0x${type.toString(16)}`);
  if (offset + size > data.length) throw new ZclDecodeError('ZCL value truncated');
  if (type === ZclType.EUI64)
    return [
      Buffer.from(data.subarray(offset, offset + 8))
        .reverse()
        .toString('hex')
        .toUpperCase(),
      8,
    ];
  const signed = type >= 0x28 && type <= 0x2f;
  return [signed ? data.readIntLE(offset, size) : data.readUIntLE(offset, size), size];
}

export function decodeReadRequest(payload: Buffer): number[] {
  if (payload.length % 2 !== 0) throw new ZclDecodeError('read attributes payload has an odd length');
  const ids: number[] = [];
  for (let i = 0; i < payload.length; i += 2) ids.push(payload.readUInt16LE(i));
  return ids;
}

export type ReadRecord = { attrId: number; status: number; type?: number; value?: ZclValue };

export function encodeReadResponse(records: readonly ReadRecord[]): Buffer {
  return Buffer.concat(
    records.map((r) => {
      const head = Buffer.from([r.attrId & 0xff, r.attrId >> 8, r.status]);
      if (r.status !== ZclStatus.SUCCESS || r.type === undefined || r.value === undefined) return head;
      return Buffer.concat([head, Buffer.from([r.type]), encodeValue(r.type, r.value)]);
    }),
  );
}

export function decodeReadResponse(payload: Buffer): ReadRecord[] {
  const records: ReadRecord[] = [];
  let i = 0;
  while (i < payload.length) {
    if (i + 3 > payload.length) throw new ZclDecodeError('read response record truncated');
    const attrId = payload.readUInt16LE(i);
    const status = payload[i + 2]!;
    i += 3;
    if (status !== ZclStatus.SUCCESS) {
      records.push({ attrId, status });
      continue;
    }
    const type = payload[i];
    // A SUCCESS record must carry its data type; without it the record is truncated, not an unknown type.
    if (type === undefined) throw new ZclDecodeError('read response record has no data type');
    const [value, used] = decodeValue(type, payload, i + 1);
    i += 1 + used;
    records.push({ attrId, status, type, value });
  }
  return records;
}

export interface ReportingConfig {
  readonly direction: number;
  readonly attrId: number;
  readonly type?: number;
  readonly minInterval?: number;
  readonly maxInterval?: number;
  readonly reportableChange?: ZclValue;
  readonly timeout?: number;
}

export function decodeConfigureReporting(payload: Buffer): ReportingConfig[] {
  const records: ReportingConfig[] = [];
  let i = 0;
  while (i < payload.length) {
    if (i + 3 > payload.length) throw new ZclDecodeError('configure reporting record truncated');
    const direction = payload[i]!;
    const attrId = payload.readUInt16LE(i + 1);
    i += 3;
    if (direction === 0) {
      if (i + 5 > payload.length) throw new ZclDecodeError('configure reporting record truncated');
      const type = payload[i]!;
      const minInterval = payload.readUInt16LE(i + 1);
      const maxInterval = payload.readUInt16LE(i + 3);
      i += 5;
      let reportableChange: ZclValue | undefined;
      if (ANALOG.has(type)) {
        const [value, used] = decodeValue(type, payload, i);
        reportableChange = value;
        i += used;
      }
      records.push({ direction, attrId, type, minInterval, maxInterval, ...(reportableChange !== undefined ? { reportableChange } : {}) });
    } else {
      if (i + 2 > payload.length) throw new ZclDecodeError('configure reporting record truncated');
      records.push({ direction, attrId, timeout: payload.readUInt16LE(i) });
      i += 2;
    }
  }
  return records;
}

export function encodeReport(records: readonly { attrId: number; type: number; value: ZclValue }[]): Buffer {
  return Buffer.concat(records.map((r) => Buffer.concat([Buffer.from([r.attrId & 0xff, r.attrId >> 8, r.type]), encodeValue(r.type, r.value)])));
}

export function decodeReport(payload: Buffer): { attrId: number; type: number; value: ZclValue }[] {
  const out: { attrId: number; type: number; value: ZclValue }[] = [];
  let i = 0;
  while (i < payload.length) {
    if (i + 3 > payload.length) throw new ZclDecodeError('report record truncated');
    const attrId = payload.readUInt16LE(i);
    const type = payload[i + 2]!;
    const [value, used] = decodeValue(type, payload, i + 3);
    out.push({ attrId, type, value });
    i += 3 + used;
  }
  return out;
}

export function encodeDefaultResponse(commandId: number, status: number): Buffer {
  return Buffer.from([commandId, status]);
}
