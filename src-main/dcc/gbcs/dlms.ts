import { type ByteReader, readBigUint, toHex } from './bytes';

/**
 * DLMS/COSEM as GBCS uses it (GBCS 7.3, DLMS Green Book 9.5 A-XDR): xDLMS ACCESS-REQUEST (`D9`),
 * ACCESS-RESPONSE (`DA`) and DATA-NOTIFICATION (`0F`, DLMS alerts), with typed Data. 64-bit integers are
 * decimal strings so JSON keeps them exact; octet strings are hex.
 */
export type DlmsData =
  | { readonly type: 'null' }
  | { readonly type: 'array' | 'structure'; readonly items: readonly DlmsData[] }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'bit-string'; readonly bits: string }
  | { readonly type: 'integer' | 'long' | 'double-long' | 'unsigned' | 'long-unsigned' | 'double-long-unsigned' | 'enum'; readonly value: number }
  | { readonly type: 'long64' | 'long64-unsigned'; readonly value: string }
  | { readonly type: 'float32' | 'float64'; readonly value: number }
  | { readonly type: 'octet-string' | 'date-time' | 'date' | 'time' | 'bcd'; readonly hex: string }
  | { readonly type: 'visible-string' | 'utf8-string'; readonly value: string }
  | { readonly type: 'dont-care' };

export interface AttributeDescriptor {
  readonly classId: number;
  /** OBIS code, e.g. `1.0.1.8.0.255`. */
  readonly obis: string;
  /** Attribute id (get/set) or method id (action). */
  readonly id: number;
}

export interface AccessRequestSpec {
  readonly kind: 'get' | 'set' | 'action' | 'get-with-selection' | 'set-with-selection';
  readonly descriptor: AttributeDescriptor;
  readonly selector?: { readonly accessSelector: number; readonly parameters: DlmsData };
}

export interface AccessResponseSpec {
  readonly kind: 'get' | 'set' | 'action';
  /** Data-Access-Result / Action-Result: 0 = success. */
  readonly result: number;
}

export type DlmsApdu =
  | {
      readonly apdu: 'access-request';
      readonly invokeId: number;
      readonly dateTime?: string;
      readonly requests: readonly AccessRequestSpec[];
      readonly data: readonly DlmsData[];
    }
  | {
      readonly apdu: 'access-response';
      readonly invokeId: number;
      readonly dateTime?: string;
      readonly requests?: readonly AccessRequestSpec[];
      readonly data: readonly DlmsData[];
      readonly results: readonly AccessResponseSpec[];
    }
  | { readonly apdu: 'data-notification'; readonly invokeId: number; readonly dateTime?: string; readonly body: DlmsData };

const MAX_DEPTH = 24;
const FIXED: Record<number, [DlmsData['type'], number]> = {
  0x0f: ['integer', 1],
  0x10: ['long', 2],
  0x05: ['double-long', 4],
  0x11: ['unsigned', 1],
  0x12: ['long-unsigned', 2],
  0x06: ['double-long-unsigned', 4],
  0x16: ['enum', 1],
};
const OCTETS: Record<number, [DlmsData['type'], number]> = { 0x19: ['date-time', 12], 0x1a: ['date', 5], 0x1b: ['time', 4] };

/** One A-XDR Data value. */
export function readDlmsData(reader: ByteReader, depth = 0): DlmsData {
  const at = reader.offset;
  if (depth > MAX_DEPTH) reader.fail('DLMS data nested too deeply');
  return readValue(reader, reader.u8('DLMS data tag'), depth, at);
}

function readValue(reader: ByteReader, tag: number, depth: number, at: number): DlmsData {
  const fixed = FIXED[tag];
  if (fixed) {
    const bytes = reader.take(fixed[1], fixed[0]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const signed = tag === 0x0f || tag === 0x10 || tag === 0x05;
    const value =
      fixed[1] === 1
        ? signed
          ? view.getInt8(0)
          : view.getUint8(0)
        : fixed[1] === 2
          ? signed
            ? view.getInt16(0)
            : view.getUint16(0)
          : signed
            ? view.getInt32(0)
            : view.getUint32(0);
    return { type: fixed[0], value } as DlmsData;
  }
  const octets = OCTETS[tag];
  if (octets) return { type: octets[0], hex: toHex(reader.take(octets[1], octets[0])) } as DlmsData;
  switch (tag) {
    case 0x00:
      return { type: 'null' };
    case 0x01:
    case 0x02: {
      const count = reader.axdrLength('element count');
      if (count > reader.remaining) reader.fail(`${count} elements cannot fit in ${reader.remaining} bytes`, at);
      const items: DlmsData[] = [];
      for (let i = 0; i < count; i++) items.push(readDlmsData(reader, depth + 1));
      return { type: tag === 1 ? 'array' : 'structure', items };
    }
    case 0x03:
      return { type: 'boolean', value: reader.u8('boolean') !== 0 };
    case 0x04: {
      const bitCount = reader.axdrLength('bit-string length');
      const bytes = reader.take(Math.ceil(bitCount / 8), 'bit-string');
      const bits = Array.from(bytes, (b) => b.toString(2).padStart(8, '0'))
        .join('')
        .slice(0, bitCount);
      return { type: 'bit-string', bits };
    }
    case 0x09:
    case 0x0d:
      return { type: tag === 0x09 ? 'octet-string' : 'bcd', hex: toHex(reader.take(reader.axdrLength('octet-string length'), 'octet-string')) };
    case 0x0a:
    case 0x0c: {
      const bytes = reader.take(reader.axdrLength('string length'), 'string');
      return { type: tag === 0x0a ? 'visible-string' : 'utf8-string', value: Buffer.from(bytes).toString(tag === 0x0a ? 'latin1' : 'utf8') };
    }
    case 0x14:
      return { type: 'long64', value: BigInt.asIntN(64, readBigUint(reader.take(8, 'long64'))).toString() };
    case 0x15:
      return { type: 'long64-unsigned', value: readBigUint(reader.take(8, 'long64-unsigned')).toString() };
    case 0x17:
    case 0x18: {
      const bytes = reader.take(tag === 0x17 ? 4 : 8, 'float');
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return { type: tag === 0x17 ? 'float32' : 'float64', value: tag === 0x17 ? view.getFloat32(0) : view.getFloat64(0) };
    }
    case 0xff:
      return { type: 'dont-care' };
    case 0x13:
      return readCompactArray(reader, depth);
    default:
      return reader.fail(`unknown DLMS data tag 0x${tag.toString(16).padStart(2, '0')}`, at);
  }
}

/** TypeDescription of a compact array (Green Book 9.5: array = count + element type, structure = types). */
type TypeDescription = { readonly tag: number; readonly count?: number; readonly element?: TypeDescription; readonly members?: readonly TypeDescription[] };

function readTypeDescription(reader: ByteReader, depth: number): TypeDescription {
  if (depth > MAX_DEPTH) reader.fail('compact-array type description nested too deeply');
  const tag = reader.u8('type description');
  if (tag === 0x01) return { tag, count: reader.u16('array element count'), element: readTypeDescription(reader, depth + 1) };
  if (tag === 0x02) {
    const count = reader.axdrLength('structure member count');
    if (count > reader.remaining) reader.fail('structure description longer than the message');
    const members: TypeDescription[] = [];
    for (let i = 0; i < count; i++) members.push(readTypeDescription(reader, depth + 1));
    return { tag, members };
  }
  return { tag };
}

function readUntagged(reader: ByteReader, description: TypeDescription, depth: number): DlmsData {
  if (depth > MAX_DEPTH) reader.fail('compact-array data nested too deeply');
  if (description.tag === 0x01) {
    const count = description.count!;
    if (count > reader.remaining) reader.fail(`${count} compact elements cannot fit in ${reader.remaining} bytes`);
    const items: DlmsData[] = [];
    for (let i = 0; i < count; i++) items.push(readUntagged(reader, description.element!, depth + 1));
    return { type: 'array', items };
  }
  if (description.tag === 0x02) return { type: 'structure', items: description.members!.map((m) => readUntagged(reader, m, depth + 1)) };
  if (description.tag === 0x13) reader.fail('compact array inside a compact array');
  return readValue(reader, description.tag, depth + 1, reader.offset);
}

/** compact-array: a type description, then the elements without tags in one octet string. */
function readCompactArray(reader: ByteReader, depth: number): DlmsData {
  const description = readTypeDescription(reader, depth + 1);
  const contents = reader.sub(reader.axdrLength('compact array length'), 'compact array contents');
  const items: DlmsData[] = [];
  while (contents.remaining > 0) {
    const before = contents.offset;
    items.push(readUntagged(contents, description, depth + 1));
    if (contents.offset === before) contents.fail('compact array element of no bytes');
  }
  return { type: 'array', items };
}

function readDescriptor(reader: ByteReader): AttributeDescriptor {
  const classId = reader.u16('class id');
  const obis = Array.from(reader.take(6, 'OBIS code')).join('.');
  return { classId, obis, id: reader.u8('attribute id') };
}

const REQUEST_KINDS: Record<number, AccessRequestSpec['kind']> = { 1: 'get', 2: 'set', 3: 'action', 4: 'get-with-selection', 5: 'set-with-selection' };
const RESPONSE_KINDS: Record<number, AccessResponseSpec['kind']> = { 1: 'get', 2: 'set', 3: 'action' };

function readCount(reader: ByteReader, what: string): number {
  const at = reader.offset;
  const count = reader.axdrLength(what);
  if (count > reader.remaining) reader.fail(`${what} of ${count} cannot fit in ${reader.remaining} bytes`, at);
  return count;
}

function readRequestSpecs(reader: ByteReader): AccessRequestSpec[] {
  const specs: AccessRequestSpec[] = [];
  for (let i = readCount(reader, 'request specification count'); i > 0; i--) {
    const at = reader.offset;
    const kind = REQUEST_KINDS[reader.u8('request kind')];
    if (!kind) reader.fail('unknown access request kind', at);
    const descriptor = readDescriptor(reader);
    if (kind.endsWith('with-selection')) {
      const accessSelector = reader.u8('access selector');
      specs.push({ kind, descriptor, selector: { accessSelector, parameters: readDlmsData(reader) } });
    } else specs.push({ kind, descriptor });
  }
  return specs;
}

function readDataList(reader: ByteReader): DlmsData[] {
  const data: DlmsData[] = [];
  for (let i = readCount(reader, 'data count'); i > 0; i--) data.push(readDlmsData(reader));
  return data;
}

function readDateTime(reader: ByteReader): string | undefined {
  const length = reader.axdrLength('date-time length');
  return length ? toHex(reader.take(length, 'date-time')) : undefined;
}

/** The content of a DLMS use case (`D9`, `DA` or `0F`). */
export function readDlmsApdu(reader: ByteReader): DlmsApdu {
  const at = reader.offset;
  const tag = reader.u8('xDLMS tag');
  const invokeId = reader.take(4, 'long-invoke-id-and-priority').reduce((a, b) => a * 256 + b, 0);
  const dateTime = readDateTime(reader);
  const time = dateTime ? { dateTime } : {};
  if (tag === 0xd9) {
    const requests = readRequestSpecs(reader);
    return { apdu: 'access-request', invokeId, ...time, requests, data: readDataList(reader) };
  }
  if (tag === 0xda) {
    const hasRequests = reader.u8('request specification presence');
    const requests = hasRequests ? readRequestSpecs(reader) : undefined;
    const data = readDataList(reader);
    const results: AccessResponseSpec[] = [];
    for (let i = readCount(reader, 'response specification count'); i > 0; i--) {
      const kindAt = reader.offset;
      const kind = RESPONSE_KINDS[reader.u8('response kind')];
      if (!kind) reader.fail('unknown access response kind', kindAt);
      results.push({ kind, result: reader.u8('result') });
    }
    return { apdu: 'access-response', invokeId, ...time, ...(requests ? { requests } : {}), data, results };
  }
  if (tag === 0x0f) return { apdu: 'data-notification', invokeId, ...time, body: readDlmsData(reader) };
  return reader.fail(`not an xDLMS APDU GBCS uses: 0x${tag.toString(16)}`, at);
}

/** Numeric value of an integer-like Data, or undefined. */
export function dlmsNumber(data: DlmsData | undefined): number | undefined {
  if (!data) return undefined;
  if ('value' in data && typeof data.value === 'number') return data.value;
  if ('value' in data && typeof data.value === 'string' && (data.type === 'long64' || data.type === 'long64-unsigned')) return Number(data.value);
  return undefined;
}
