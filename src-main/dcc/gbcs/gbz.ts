import { type ByteReader, toHex } from './bytes';

/**
 * GBZ: the ZigBee form of GBCS use cases (GBCS 7.4). Header: profile ID 0x0109 (Smart Energy), component count,
 * and for alerts the alert code and a UTC timestamp. Each component: extended header control, cluster ID,
 * GBZ command length, an optional "from" date-time, then a ZCL frame (frame control, sequence number, command).
 * ZCL fields are little-endian. An encrypted component carries an additional header and the ciphered ZCL
 * payload (security header 0x31 ‖ invocation counter ‖ ciphertext ‖ 12-byte tag), which `decode.ts` opens.
 */
export const GBZ_PROFILE = 0x0109;
/** ZigBee UTC time counts seconds from 2000-01-01T00:00:00Z. */
const ZIGBEE_EPOCH_MS = Date.UTC(2000, 0, 1);

export interface ZclAttribute {
  readonly id: number;
  readonly status: number;
  readonly dataType?: number;
  /** Numbers up to 48 bits as numbers, longer ones as decimal strings, strings and octets as hex. */
  readonly value?: number | string | boolean;
}

export interface GbzComponent {
  readonly cluster: number;
  readonly encrypted: boolean;
  readonly fromDateTime?: string;
  readonly frameControl: number;
  readonly sequence: number;
  readonly commandId: number;
  /** ZCL Read Attributes Response (general command 0x01) decoded; other commands keep their payload bytes. */
  readonly attributes?: readonly ZclAttribute[];
  /** Payload bytes (hex) of a command not decoded field by field, or of an encrypted payload once opened. */
  readonly payloadHex?: string;
  /** Encrypted payload: ciphertext ‖ tag, to be opened with the content key. */
  readonly ciphertext?: Uint8Array;
}

export interface GbzPayload {
  readonly components: readonly GbzComponent[];
  readonly alertCode?: number;
  readonly timestamp?: string;
  /** Use-case specific bytes after an alert header (hex). */
  readonly alertDataHex?: string;
}

export function zigbeeTime(seconds: number): string {
  return new Date(ZIGBEE_EPOCH_MS + seconds * 1000).toISOString();
}

/**
 * `alertWithComponents`: the alert's use-case data are GBZ components (GCS53); other GBZ alerts carry their own
 * layout after the alert header, kept as bytes.
 */
export function readGbz(reader: ByteReader, alert: boolean, alertWithComponents = false): GbzPayload {
  const at = reader.offset;
  if (reader.u16('profile ID') !== GBZ_PROFILE) reader.fail('GBZ profile ID must be 0x0109', at);
  const count = reader.u8('component count');
  if (alert) {
    const alertCode = reader.u16('alert code');
    const timestamp = zigbeeTime(readUint32be(reader));
    const components: GbzComponent[] = [];
    if (alertWithComponents) for (let i = 0; i < count - 1 && reader.remaining > 0; i++) components.push(readComponent(reader));
    const rest = reader.remaining ? { alertDataHex: toHex(reader.take(reader.remaining)) } : {};
    return { components, alertCode, timestamp, ...rest };
  }
  const components: GbzComponent[] = [];
  for (let i = 0; i < count; i++) components.push(readComponent(reader));
  reader.expectEnd('GBZ payload');
  return { components };
}

function readUint32be(reader: ByteReader): number {
  return reader.take(4, 'uint32').reduce((a, b) => a * 256 + b, 0);
}

function readComponent(reader: ByteReader): GbzComponent {
  const control = reader.u8('extended header control');
  const cluster = reader.u16('cluster ID');
  const body = reader.sub(reader.u16('GBZ command length'), 'GBZ command');
  const encrypted = (control & 0x02) !== 0;
  let fromDateTime: string | undefined;
  if (encrypted) body.take(2, 'additional header');
  else if (control & 0x10) fromDateTime = zigbeeTime(readUint32be(body));
  const frameControl = body.u8('ZCL frame control');
  if (frameControl & 0x04) body.take(2, 'manufacturer code');
  const sequence = body.u8('ZCL sequence number');
  const commandId = body.u8('ZCL command ID');
  const base = { cluster, encrypted, ...(fromDateTime ? { fromDateTime } : {}), frameControl, sequence, commandId };
  if (encrypted) {
    const length = body.u16('ciphered information length');
    const ciphered = body.sub(length, 'ciphered information');
    const at = ciphered.offset;
    if (ciphered.u8('security header') !== 0x31) ciphered.fail('encrypted GBZ payload must start with security control 0x31', at);
    ciphered.take(4, 'invocation counter');
    const ciphertext = ciphered.take(ciphered.remaining, 'ciphertext');
    if (ciphertext.length < 12) ciphered.fail('encrypted GBZ payload shorter than its tag', at);
    return { ...base, ciphertext };
  }
  return { ...base, ...readZclPayload(body, frameControl, commandId) };
}

/** ZCL general Read Attributes Response is decoded; everything else is kept as bytes. */
export function readZclPayload(body: ByteReader, frameControl: number, commandId: number): Pick<GbzComponent, 'attributes' | 'payloadHex'> {
  const isGeneral = (frameControl & 0x03) === 0;
  if (isGeneral && commandId === 0x01) {
    const attributes: ZclAttribute[] = [];
    while (body.remaining > 0) {
      const id = body.u16le('attribute ID');
      const status = body.u8('attribute status');
      if (status !== 0) {
        attributes.push({ id, status });
        continue;
      }
      const dataType = body.u8('attribute data type');
      attributes.push({ id, status, dataType, value: readZclValue(body, dataType) });
    }
    return { attributes };
  }
  return { payloadHex: toHex(body.take(body.remaining)) };
}

const UNSIGNED: Record<number, number> = {
  0x08: 1,
  0x09: 2,
  0x0a: 3,
  0x0b: 4,
  0x18: 1,
  0x19: 2,
  0x1a: 3,
  0x1b: 4,
  0x20: 1,
  0x21: 2,
  0x22: 3,
  0x23: 4,
  0x24: 5,
  0x25: 6,
  0x26: 7,
  0x27: 8,
  0x30: 1,
  0x31: 2,
  0xe2: 4,
  0xe8: 2,
  0xe9: 2,
  0xea: 4,
  0xe0: 4,
  0xe1: 4,
  0xf0: 8,
  0xf1: 16,
};
const SIGNED: Record<number, number> = { 0x28: 1, 0x29: 2, 0x2a: 3, 0x2b: 4, 0x2c: 5, 0x2d: 6, 0x2e: 7, 0x2f: 8 };

/** One ZCL attribute value of `dataType` (ZCL 2.6.2), little-endian. */
export function readZclValue(reader: ByteReader, dataType: number): number | string | boolean {
  const at = reader.offset;
  if (dataType === 0x10) return reader.u8('boolean') !== 0;
  const unsigned = UNSIGNED[dataType];
  const signed = SIGNED[dataType];
  const size = unsigned ?? signed;
  if (size) {
    const bytes = reader.take(size, 'ZCL value');
    let value = 0n;
    for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
    if (signed) value = BigInt.asIntN(size * 8, value);
    if (size > 6) return value.toString();
    return Number(value);
  }
  if (dataType === 0x41 || dataType === 0x42) return toHex(reader.take(reader.u8('string length'), 'ZCL string'));
  if (dataType === 0x43 || dataType === 0x44) return toHex(reader.take(reader.u16le('string length'), 'ZCL string'));
  return reader.fail(`ZCL data type 0x${dataType.toString(16)} is not one GBCS uses`, at);
}
