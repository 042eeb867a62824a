import type { ByteSegment, MbusMeterView, MbusRecordView, TelegramView } from '../../src-shared/ipc/channels/mbus';
import { toHex } from './common/hex';
import type { DataRecord, DecodedTelegram } from './common/telegram';

/** The decoded telegram as the M-Bus screen shows it, with its byte-by-byte breakdown. */
export function telegramView(bytes: Uint8Array, t: DecodedTelegram): TelegramView {
  const h = t.header;
  const meter: MbusMeterView | undefined = h
    ? {
        id: h.id,
        manufacturer: h.manufacturer,
        version: h.version,
        medium: h.medium,
        deviceType: h.mediumCode,
        ...(t.kind === 'wired' && t.address !== undefined && t.address <= 250 ? { primary: t.address } : {}),
      }
    : undefined;
  return {
    hex: toHex(bytes),
    kind: t.kind,
    ...(meter ? { meter } : {}),
    ...(h ? { accessNumber: h.accessNumber, status: h.status } : {}),
    encrypted: t.encrypted,
    decrypted: t.decrypted,
    ...(t.decryptionError ? { reason: t.decryptionError } : {}),
    ...(t.decryptionCheck ? { decryptionCheck: t.decryptionCheck } : {}),
    ...(t.note ? { note: t.note } : {}),
    ...(t.undecoded ? { undecoded: t.undecoded } : {}),
    ...(h && t.wireless && (t.wireless.linkAddress.id !== h.id || t.wireless.linkAddress.manufacturer !== h.manufacturer)
      ? { linkAddress: t.wireless.linkAddress }
      : {}),
    records: t.records.map(recordView),
    breakdown: breakdown(bytes, t),
  };
}

function recordView(r: DataRecord): MbusRecordView {
  return {
    quantity: r.quantity,
    value: r.value,
    unit: r.unit,
    storage: r.storage,
    tariff: r.tariff,
    subunit: r.subunit,
    function: r.function,
    offset: r.offset,
    length: r.length,
  };
}

function recordLabel(r: DataRecord): string {
  const value = r.value === null ? '—' : String(r.value);
  const extra = [r.storage ? `storage ${r.storage}` : '', r.tariff ? `tariff ${r.tariff}` : '', r.function !== 'instantaneous' ? r.function : '']
    .filter(Boolean)
    .join(', ');
  return `record: ${r.quantity} = ${value}${r.unit ? ` ${r.unit}` : ''}${extra ? ` (${extra})` : ''}`;
}

/** Known fields first, then every byte not covered gets a segment of its own kind, so nothing is hidden. */
export function breakdown(bytes: Uint8Array, t: DecodedTelegram): ByteSegment[] {
  const known: [number, number, string][] = [];
  if (t.kind === 'wired' && t.frame === 'long') {
    known.push([0, 4, 'start 68, L-field twice, start 68'], [4, 1, 'C field'], [5, 1, 'A field (primary address)'], [6, 1, 'CI field']);
    if (t.ci === 0x72) {
      known.push(
        [7, 4, 'identification number'],
        [11, 2, 'manufacturer'],
        [13, 1, 'version'],
        [14, 1, 'medium'],
        [15, 1, 'access number'],
        [16, 1, 'status'],
        [17, 2, 'signature / configuration'],
      );
    }
    known.push([bytes.length - 2, 1, 'checksum'], [bytes.length - 1, 1, 'stop 16']);
  } else if (t.kind === 'wireless') {
    known.push([0, 1, 'L field'], [1, 1, 'C field'], [2, 2, 'manufacturer'], [4, 4, 'identification number'], [8, 1, 'version'], [9, 1, 'device type']);
    if (t.wireless?.crc === 'present') known.push([10, 2, 'link-layer CRC']);
  }
  for (const r of t.records) known.push([r.offset, r.length, recordLabel(r)]);
  if (t.undecoded && t.wireless?.crc !== 'present') known.push([t.undecoded.offset, t.undecoded.length, `not decoded: ${t.undecoded.reason}`]);
  known.sort((a, b) => a[0] - b[0]);
  const segments: ByteSegment[] = [];
  let pos = 0;
  const gapLabel = (): string =>
    t.encrypted && !t.decrypted ? 'encrypted data' : t.kind === 'wireless' ? 'extended link / authentication / transport layer, CRCs, fillers' : 'other data';
  for (const [offset, length, label] of known) {
    if (offset < pos || length <= 0 || offset + length > bytes.length) continue;
    if (offset > pos) segments.push({ offset: pos, length: offset - pos, hex: toHex(bytes, pos, offset), label: gapLabel() });
    segments.push({ offset, length, hex: toHex(bytes, offset, offset + length), label });
    pos = offset + length;
  }
  if (pos < bytes.length) segments.push({ offset: pos, length: bytes.length - pos, hex: toHex(bytes, pos, bytes.length), label: gapLabel() });
  return segments;
}
