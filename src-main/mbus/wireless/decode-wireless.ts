import { decodeId, decodeManufacturer, mediumName } from '../common/header';
import type { DataRecord, DecodedTelegram, DecodeResult, TelegramHeader, WirelessInfo } from '../common/telegram';
import { crcEn13757 } from '../common/crc';
import { toHex } from '../common/hex';
import { stripLinkCrc } from './link-blocks';
import type { KeyLookup } from '../common/meter-address';
import { aesCtr } from '../common/security';
import type { FormatCache } from '../common/compact';
import { type AflInfo, decodeTpl, undecodedBytes } from '../common/tpl';

const MAC_LENGTHS: Record<number, number> = { 4: 4, 5: 8, 6: 12, 7: 16 };

/**
 * Decodes a wireless M-Bus telegram (EN 13757-4 / OMS): link layer, ELL, AFL, TPL and the data records.
 * Never throws; malformed input gives `{ok:false}` with the offset in the input as given.
 */
/**
 * `formats` keeps compact-frame formats between telegrams (a receiver passes one; one-off decodes need none).
 */
export function decodeWireless(input: Uint8Array, keys?: KeyLookup, formats?: FormatCache): DecodeResult {
  try {
    return decodeUnsafe(input, keys, formats);
  } catch (error) {
    // Defensive: a decoder bug must not take the caller down; report it like malformed input.
    return { ok: false, error: { reason: `internal decoder error: ${error instanceof Error ? error.message : String(error)}`, offset: 0 } };
  }
}

function failAt(toInputOffset: (offset: number) => number, reason: string, offset: number): DecodeResult {
  return { ok: false, error: { reason, offset: toInputOffset(offset) } };
}

function decodeUnsafe(input: Uint8Array, keys: KeyLookup | undefined, formats: FormatCache | undefined): DecodeResult {
  const stripped = stripLinkCrc(input);
  if (!stripped.ok) return stripped;
  const { toInputOffset } = stripped.value;
  let buf = stripped.value.bytes;
  const end = buf.length;
  if (end < 11) return { ok: false, error: { reason: 'truncated: link-layer header and CI need 11 bytes', offset: toInputOffset(end) } };
  const cField = buf[1]!;
  const linkAddress = {
    manufacturer: decodeManufacturer(buf[2]! | (buf[3]! << 8)),
    id: decodeId(buf, 4),
    version: buf[8]!,
    deviceType: buf[9]!,
  };
  let p = 10;
  let ell: WirelessInfo['ell'];
  let ellEncrypted = false;
  let ellNote: string | undefined;
  let afl: AflInfo | undefined;
  let aflInfo: WirelessInfo['afl'];
  for (;;) {
    if (p >= end) return failAt(toInputOffset, 'truncated: CI field expected', p);
    const ci = buf[p]!;
    if (ci === 0x8c || ci === 0x8e) {
      const len = ci === 0x8c ? 3 : 11;
      if (p + len > end) return failAt(toInputOffset, 'truncated extended link layer', p);
      ell = { ci, communicationControl: buf[p + 1]!, accessNumber: buf[p + 2]! };
      p += len;
    } else if (ci === 0x8d || ci === 0x8f) {
      const len = ci === 0x8d ? 7 : 15;
      if (p + len + 2 > end) return failAt(toInputOffset, 'truncated extended link layer with session number', p);
      const snAt = p + len - 4;
      const sn = (buf[snAt]! | (buf[snAt + 1]! << 8) | (buf[snAt + 2]! << 16) | (buf[snAt + 3]! << 24)) >>> 0;
      ell = { ci, communicationControl: buf[p + 1]!, accessNumber: buf[p + 2]!, sessionNumber: sn };
      const encryption = (sn >>> 29) & 7;
      const payload = p + len;
      if (encryption === 1) {
        const key = keys?.({ ...linkAddress });
        // Undecryptable: the header still comes from the link layer, so the meter can be listed and a key asked for.
        const header = linkHeader(linkAddress, buf[p + 2]!);
        const base = { kind: 'wireless', frame: 'long', cField, ci, header, encrypted: true, decrypted: false, records: [], moreRecordsFollow: false } as const;
        const info: WirelessInfo = { crc: stripped.value.crc, format: stripped.value.format, cField, linkAddress, securityMode: 0, ell };
        const undecoded = undecodedBytes(buf, payload, end, 'encrypted data (ELL, AES-128-CTR)');
        // A log of an already decrypted telegram: the payload CRC holds on the bytes as they are.
        const asIs = crcEn13757(buf, payload + 2, end);
        if (asIs === (buf[payload]! | (buf[payload + 1]! << 8)) || asIs === ((buf[payload]! << 8) | buf[payload + 1]!)) {
          ellNote = 'the ELL says encrypted, but the payload is already plaintext (its CRC holds as it is: a log of a decrypted telegram)';
          p = payload + 2;
          continue;
        }
        if (!key) return { ok: true, telegram: { ...base, decryptionError: 'no key for this meter', wireless: info, undecoded } };
        // CTR IV: M, A, CC (hop/repeat bits cleared), SN, FN = 0, BC = 0.
        const iv = Buffer.alloc(16);
        iv.set(buf.subarray(2, 10), 0);
        iv[8] = buf[p + 1]! & ~0x12 & 0xff; // H (bit 4) and R (bit 1) change on the way, so they are not part of the IV
        iv.set(buf.subarray(snAt, snAt + 4), 9);
        const plain = aesCtr(key instanceof Uint8Array ? key : key.bytes, iv, buf.subarray(payload, end));
        const crc = crcEn13757(plain, 2, plain.length);
        if (crc !== (plain[0]! | (plain[1]! << 8)) && crc !== ((plain[0]! << 8) | plain[1]!)) {
          return { ok: true, telegram: { ...base, decryptionError: 'payload CRC mismatch after decryption (wrong key?)', wireless: info, undecoded } };
        }
        const copy = Uint8Array.from(buf);
        copy.set(plain, payload);
        buf = copy;
        ellEncrypted = true;
      } else if (encryption !== 0) {
        const reason = `ELL encryption ${encryption} is not defined by EN 13757-4: not decrypted`;
        const header = linkHeader(linkAddress, buf[p + 2]!);
        const info: WirelessInfo = { crc: stripped.value.crc, format: stripped.value.format, cField, linkAddress, securityMode: 0, ell };
        const undecoded = undecodedBytes(buf, payload, end, reason);
        const telegram: DecodedTelegram = {
          kind: 'wireless',
          frame: 'long',
          cField,
          ci,
          header,
          encrypted: true,
          decrypted: false,
          decryptionError: reason,
          records: [],
          moreRecordsFollow: false,
          wireless: info,
          undecoded,
        };
        return { ok: true, telegram };
      }
      p = payload + 2; // skip payload CRC
    } else if (ci === 0x90) {
      if (p + 2 > end) return failAt(toInputOffset, 'truncated AFL', p);
      const aflLength = buf[p + 1]!;
      const aflEnd = p + 2 + aflLength;
      if (aflEnd > end || aflLength < 2) return failAt(toInputOffset, 'truncated AFL', p);
      const fcl = buf[p + 2]! | (buf[p + 3]! << 8);
      let q = p + 4;
      let mcl = 0;
      let mclOffset: number | undefined;
      if (fcl & 0x2000) {
        mclOffset = q;
        mcl = buf[q++]!;
      }
      if (fcl & 0x0200) q += 2; // key information
      let messageCounter: number | undefined;
      if (fcl & 0x0800) {
        messageCounter = (buf[q]! | (buf[q + 1]! << 8) | (buf[q + 2]! << 16) | (buf[q + 3]! << 24)) >>> 0;
        q += 4;
      }
      const macCoveredEnd = q;
      let macOffset: number | undefined;
      let macLength = 0;
      if (fcl & 0x0400) {
        macLength = MAC_LENGTHS[mcl & 0x0f] ?? 0;
        macOffset = q;
        q += macLength;
      }
      let coveredEnd = macCoveredEnd;
      if (fcl & 0x1000) {
        // Message length sits after the MAC but is covered by it: handled by covering MCL..counter then ML.
        q += 2;
        coveredEnd = macCoveredEnd;
      }
      if (q > aflEnd) return failAt(toInputOffset, 'AFL fields overrun the AFL length', p);
      afl = { mclOffset, macCoveredEnd: coveredEnd, messageCounter, macOffset, macLength };
      aflInfo = {
        messageCounter,
        mac: macOffset !== undefined ? toHex(buf, macOffset, macOffset + macLength) : undefined,
      };
      p = aflEnd;
    } else {
      break;
    }
  }
  if (p >= end) return failAt(toInputOffset, 'truncated: CI field expected', p);
  const tpl = decodeTpl({
    buf,
    ciOffset: p,
    end,
    linkAddressOffset: 2,
    linkAddress,
    keys,
    afl,
    formats,
    unauthenticated: ellEncrypted || ellNote !== undefined,
  });
  if (tpl.error) return failAt(toInputOffset, tpl.error.reason, tpl.error.offset);
  const header = tpl.header ?? linkHeader(linkAddress, ell?.accessNumber ?? 0);
  const wireless: WirelessInfo = {
    crc: stripped.value.crc,
    format: stripped.value.format,
    cField,
    linkAddress,
    securityMode: tpl.securityMode,
    ell,
    afl: aflInfo,
  };
  let records = tpl.records;
  let undecoded = tpl.undecoded;
  if (stripped.value.crc === 'present') {
    records = records.map((r) => atOffset(r, toInputOffset(r.offset)));
    if (undecoded) undecoded = { ...undecoded, offset: toInputOffset(undecoded.offset) };
  }
  const note = joinNotes(joinNotes(stripped.value.note, ellNote), tpl.note);
  // Written out rather than spread: this is the hot path of every wireless decode.
  const telegram: DecodedTelegram = {
    kind: 'wireless',
    frame: 'long',
    cField,
    ci: buf[p]!,
    header,
    encrypted: tpl.encrypted || ellEncrypted,
    decrypted: tpl.decrypted,
    decryptionError: tpl.decryptionError,
    decryptionCheck: tpl.decryptionCheck ?? ((ellEncrypted || ellNote) && tpl.records.length > 0 ? 'payload-crc' : undefined),
    records,
    moreRecordsFollow: tpl.moreRecordsFollow,
    note,
    undecoded,
    wireless,
  };
  return { ok: true, telegram };
}

/** The record at another offset, written out (a spread is slow here). */
function atOffset(r: DataRecord, offset: number): DataRecord {
  return {
    offset,
    length: r.length,
    function: r.function,
    storage: r.storage,
    tariff: r.tariff,
    subunit: r.subunit,
    quantity: r.quantity,
    unit: r.unit,
    value: r.value,
    valueType: r.valueType,
    modifiers: r.modifiers,
  };
}

function joinNotes(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined ? a : `${a}; ${b}`;
}

/** The link layer's address as the telegram's header: what is known when no TPL header says otherwise. */
function linkHeader(link: WirelessInfo['linkAddress'], accessNumber: number): TelegramHeader {
  return {
    id: link.id,
    manufacturer: link.manufacturer,
    version: link.version,
    medium: mediumName(link.deviceType),
    mediumCode: link.deviceType,
    accessNumber,
    status: 0,
  };
}
