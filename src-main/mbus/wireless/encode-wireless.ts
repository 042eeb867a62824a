import { encodeId, encodeManufacturer } from '../common/header';
import { addFormatACrc } from './link-blocks';
import type { MeterAddress } from '../common/meter-address';
import { compactPayload } from '../common/compact';
import { crcEn13757 } from '../common/crc';
import { aesCbcEncrypt, aesCmac, aesCtr, deriveMode7Keys } from '../common/security';

/** Security of an emitted telegram: plain, OMS mode 5 (AES-CBC, IV from address) or mode 7 (KDF, AFL with CMAC). */
export type Security =
  { readonly mode: 0 } | { readonly mode: 5; readonly key: Uint8Array } | { readonly mode: 7; readonly key: Uint8Array; readonly messageCounter: number };

export interface WirelessTelegramSpec {
  readonly meter: MeterAddress;
  readonly cField?: number;
  readonly accessNumber: number;
  readonly status?: number;
  /** Encoded data records (see mbus/encode). */
  readonly records: Uint8Array;
  readonly security: Security;
  /** Add format A CRC blocks, as a raw radio capture has them. */
  readonly withCrc?: boolean;
  /**
   * Wrap a plain payload (CI 0x78, no transport header) in an ELL with session number and AES-128-CTR
   * (CI 0x8D, as Kamstrup C1 meters send). Requires `security.mode` 0.
   */
  readonly ellCtr?: { readonly key: Uint8Array; readonly sessionNumber: number; readonly communicationControl?: number };
  /** Plain payload layout: 'short' = CI 0x7A header (default), 'none' = CI 0x78 full frame, 'compact' = CI 0x79. */
  readonly layout?: 'short' | 'none' | 'compact';
}

/** C, M, A (id, version, device type): the link-layer header after the L-field. */
export function encodeLinkHeader(meter: MeterAddress, cField = 0x44): Uint8Array {
  const link = new Uint8Array(9);
  link[0] = cField;
  const m = encodeManufacturer(meter.manufacturer);
  link[1] = m & 0xff;
  link[2] = m >> 8;
  encodeId(meter.id, link, 3);
  link[7] = meter.version;
  link[8] = meter.deviceType;
  return link;
}

/** Builds a wireless telegram as a meter sends it (used by the stick emulator and the round-trip tests). */
export function encodeWirelessTelegram(spec: WirelessTelegramSpec): Uint8Array {
  const { meter, security } = spec;
  const link = encodeLinkHeader(meter, spec.cField ?? 0x44);
  const status = spec.status ?? 0;
  let body: Uint8Array;
  if (security.mode === 0 && spec.ellCtr) {
    const { key, sessionNumber } = spec.ellCtr;
    const cc = spec.ellCtr.communicationControl ?? 0x20;
    const inner =
      spec.layout === 'compact' ? Buffer.concat([Uint8Array.of(0x79), compactPayload(spec.records)]) : Buffer.concat([Uint8Array.of(0x78), spec.records]);
    const crc = crcEn13757(inner);
    const plain = Buffer.concat([Uint8Array.of(crc & 0xff, crc >> 8), inner]);
    const sn = Buffer.alloc(4);
    sn.writeUInt32LE(((sessionNumber & 0x1fffffff) | (1 << 29)) >>> 0); // ENC = 1: AES-CTR
    // Counter block: M, A, CC (H and R bits cleared), SN, FN = 0, BC = 0.
    const iv = Buffer.alloc(16);
    iv.set(link.subarray(1, 9), 0);
    iv[8] = cc & ~0x12 & 0xff;
    iv.set(sn, 9);
    body = Buffer.concat([Uint8Array.of(0x8d, cc, spec.accessNumber), sn, aesCtr(key, iv, plain)]);
  } else if (security.mode === 0 && spec.layout === 'compact') {
    body = Buffer.concat([Uint8Array.of(0x79), compactPayload(spec.records)]);
  } else if (security.mode === 0 && spec.layout === 'none') {
    body = Buffer.concat([Uint8Array.of(0x78), spec.records]);
  } else if (security.mode === 0) {
    body = Buffer.concat([Uint8Array.of(0x7a, spec.accessNumber, status, 0x00, 0x00), spec.records]);
  } else {
    const plain = pad(Buffer.concat([Uint8Array.of(0x2f, 0x2f), spec.records]));
    const blocks = plain.length / 16;
    if (blocks > 15) throw new RangeError('too many records for one encrypted telegram');
    const cfg = (security.mode << 8) | (blocks << 4);
    if (security.mode === 5) {
      const iv = Buffer.alloc(16, spec.accessNumber);
      iv.set(link.subarray(1, 9), 0);
      const cipher = aesCbcEncrypt(security.key, iv, plain);
      body = Buffer.concat([Uint8Array.of(0x7a, spec.accessNumber, status, cfg & 0xff, cfg >> 8), cipher]);
    } else {
      const keys = deriveMode7Keys(security.key, security.messageCounter, link.subarray(3, 7));
      const cipher = aesCbcEncrypt(keys.enc, Buffer.alloc(16), plain);
      // CFG-ext 0x10: KDF selection 1 (the OMS AES-CMAC KDF).
      const tpl = Buffer.concat([Uint8Array.of(0x7a, spec.accessNumber, status, cfg & 0xff, cfg >> 8, 0x10), cipher]);
      const mcl = 0x25; // message counter present, AES-CMAC-128 truncated to 8 bytes
      const mcr = Buffer.alloc(4);
      mcr.writeUInt32LE(security.messageCounter >>> 0);
      const mac = aesCmac(keys.mac, Buffer.concat([Uint8Array.of(mcl), mcr, tpl])).subarray(0, 8);
      // ELL (CI 0x8C: CC, ACC) then AFL (CI 0x90, length 15: FCL 0x2C00, MCL, MCR, MAC).
      const ell = Uint8Array.of(0x8c, 0x20, spec.accessNumber);
      const afl = Buffer.concat([Uint8Array.of(0x90, 0x0f, 0x00, 0x2c, mcl), mcr, mac]);
      body = Buffer.concat([ell, afl, tpl]);
    }
  }
  const bare = new Uint8Array(1 + link.length + body.length);
  bare[0] = bare.length - 1;
  bare.set(link, 1);
  bare.set(body, 1 + link.length);
  if (bare.length > 256) throw new RangeError('telegram longer than the L-field allows');
  return spec.withCrc ? addFormatACrc(bare) : bare;
}

/** Pads with 2F idle fillers to whole AES blocks, as meters do. */
function pad(data: Uint8Array): Buffer {
  const out = Buffer.alloc(Math.ceil(data.length / 16) * 16, 0x2f);
  out.set(data);
  return out;
}
