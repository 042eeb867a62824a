import { asn1Integer, type Asn1Node } from './asn1';
import { dlmsNumber, type DlmsApdu, type DlmsData } from './dlms';
import type { Cra } from './framing';
import { zigbeeTime, type GbzComponent, type ZclAttribute } from './gbz';
import type { GbcsContent } from './payload';
import { useCaseFor } from './use-cases';

/**
 * What the app acts on, read from a trusted payload: 4.1.x register readings (scaler or multiplier/divisor
 * applied, with the unit), 11.2 firmware versions, 8.11/8.9 device-log results, 8.7.x join results (with the
 * GBCS response code named as MMC names it), 4.17 daily logs, alerts. Anything else is `device-response`:
 * whether each DLMS/ZCL operation succeeded.
 */
export interface GbcsReading {
  readonly value: number;
  readonly unit: string;
}

export type JoinReason =
  | 'success'
  | 'invalidMessageCodeForJoinMethodAndRole'
  | 'invalidJoinMethodAndRole'
  | 'incompatibleWithExistingEntry'
  | 'deviceLogFull'
  | 'writeFailure'
  | 'keyAgreementNoResources'
  | 'keyAgreementUnknownIssuer'
  | 'keyAgreementUnsupportedSuite'
  | 'keyAgreementBadMessage'
  | 'keyAgreementBadKeyConfirm'
  | 'invalidOrMissingCertificate'
  | 'noPartnerLinkKeyReceived'
  | 'noCBKEResponse'
  | 'unknownResponseCode';

/** GBCS CS03 JoinDeviceResponse codes (GBCS 10.x, as gbcs-parser lists them) in the MMC enumeration's words. */
const JOIN_REASONS: readonly JoinReason[] = [
  'success',
  'invalidMessageCodeForJoinMethodAndRole',
  'invalidJoinMethodAndRole',
  'incompatibleWithExistingEntry',
  'deviceLogFull',
  'writeFailure',
  'keyAgreementNoResources',
  'keyAgreementUnknownIssuer',
  'keyAgreementUnsupportedSuite',
  'keyAgreementBadMessage',
  'keyAgreementBadKeyConfirm',
  'invalidOrMissingCertificate',
  'noPartnerLinkKeyReceived',
  'noCBKEResponse',
];

export type GbcsResult =
  | { readonly kind: 'register-reading'; readonly registers: readonly GbcsReading[]; readonly reading?: GbcsReading }
  | { readonly kind: 'firmware-version'; readonly version: string }
  | { readonly kind: 'device-log-update'; readonly success: boolean; readonly results: readonly number[] }
  | {
      readonly kind: 'device-log';
      readonly success: boolean;
      readonly entries: readonly { readonly deviceId: string; readonly deviceType?: number; readonly lastCommunications?: string }[];
    }
  | { readonly kind: 'join'; readonly success: boolean; readonly responseCode: number; readonly reason: JoinReason }
  | { readonly kind: 'daily-log'; readonly entries: readonly { readonly time: string; readonly value: number }[] }
  | { readonly kind: 'alert'; readonly alertCode: string; readonly timestamp?: string }
  | { readonly kind: 'device-response'; readonly success: boolean };

/** DLMS unit enumeration (Blue Book 4.3.2) for the registers GBCS reads. */
const DLMS_UNITS: Record<number, string> = {
  13: 'm3',
  14: 'm3',
  27: 'W',
  28: 'VA',
  29: 'var',
  30: 'Wh',
  31: 'VAh',
  32: 'varh',
  33: 'A',
  35: 'V',
  44: 'Hz',
  255: 'count',
};
/** ZCL Metering UnitofMeasure (0x0300); 0x80 and above are the BCD display forms of the same units. */
const ZCL_UNITS: Record<number, string> = {
  0: 'kWh',
  1: 'm3',
  2: 'ft3',
  3: 'ccf',
  4: 'US gal',
  5: 'imp gal',
  6: 'BTU',
  7: 'l',
  8: 'kPa',
  9: 'kPa',
  10: 'mcf',
  11: 'unitless',
  12: 'MJ',
};

const METERING = 0x0702;
const JOIN_CODES = new Set([0x000d, 0x000e, 0x00ab, 0x00af]);
const JOIN_DETAILS = 0x0013;

export function interpret(messageCode: number, cra: Cra, content: GbcsContent): GbcsResult {
  const service = useCaseFor(messageCode)?.serviceReferences[0] ?? '';
  if (cra === 'alert') return alertResult(content, messageCode);
  if (content.family === 'asn1') return asn1Result(messageCode, content.asn1, service);
  if (service.startsWith('4.1.')) return readingResult(content);
  if (service === '11.2') return firmwareResult(content);
  if (service === '4.17') return dailyLogResult(content);
  if (service === '8.11' && content.family === 'dlms')
    return { kind: 'device-log-update', success: allSucceeded(content.apdu), results: results(content.apdu) };
  if (service === '8.9' && content.family === 'dlms') return deviceLogResult(content.apdu);
  return { kind: 'device-response', success: contentSucceeded(content) };
}

function results(apdu: DlmsApdu): number[] {
  return apdu.apdu === 'access-response' ? apdu.results.map((r) => r.result) : [];
}

function allSucceeded(apdu: DlmsApdu): boolean {
  return apdu.apdu !== 'access-response' || apdu.results.every((r) => r.result === 0);
}

function contentSucceeded(content: GbcsContent): boolean {
  if (content.family === 'dlms') return allSucceeded(content.apdu);
  if (content.family === 'gbz') return content.gbz.components.every((c) => !isDefaultResponseFailure(c) && (c.attributes ?? []).every((a) => a.status === 0));
  return true;
}

/** ZCL Default Response (general command 0x0B): command id, then a status byte (0 = success). */
function isDefaultResponseFailure(component: GbzComponent): boolean {
  return (component.frameControl & 0x03) === 0 && component.commandId === 0x0b && component.payloadHex?.slice(2, 4) !== '00';
}

function dlmsRegisters(data: readonly DlmsData[]): GbcsReading[] {
  const registers: GbcsReading[] = [];
  const walk = (items: readonly DlmsData[]): void => {
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const next = items[i + 1];
      const value = dlmsNumber(item);
      if (value !== undefined && next?.type === 'structure' && next.items.length === 2) {
        const scaler = dlmsNumber(next.items[0]);
        const unit = next.items[1]?.type === 'enum' ? DLMS_UNITS[next.items[1].value] : undefined;
        if (scaler !== undefined && unit) {
          registers.push({ value: value * 10 ** scaler, unit });
          i++;
          continue;
        }
      }
      if (item.type === 'structure' || item.type === 'array') walk(item.items);
    }
  };
  walk(data);
  return registers;
}

function zclAttribute(attributes: readonly ZclAttribute[], id: number): number | undefined {
  const value = attributes.find((a) => a.id === id && a.status === 0)?.value;
  return typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}

function gbzRegisters(components: readonly GbzComponent[]): GbcsReading[] {
  const attributes = components.filter((c) => c.cluster === METERING).flatMap((c) => c.attributes ?? []);
  const summation = zclAttribute(attributes, 0x0000);
  const unitCode = zclAttribute(attributes, 0x0300);
  if (summation === undefined || unitCode === undefined) return [];
  // Without its multiplier and divisor a summation is a raw count, not a reading: none is made.
  const multiplier = zclAttribute(attributes, 0x0301);
  const divisor = zclAttribute(attributes, 0x0302);
  const unit = ZCL_UNITS[unitCode & 0x7f];
  return unit && multiplier !== undefined && divisor ? [{ value: (summation * multiplier) / divisor, unit }] : [];
}

function readingResult(content: GbcsContent): GbcsResult {
  const registers =
    content.family === 'dlms' && content.apdu.apdu === 'access-response'
      ? dlmsRegisters(content.apdu.data)
      : content.family === 'gbz'
        ? gbzRegisters(content.gbz.components)
        : [];
  return { kind: 'register-reading', registers, ...(registers[0] ? { reading: registers[0] } : {}) };
}

function firmwareResult(content: GbcsContent): GbcsResult {
  if (content.family === 'dlms' && content.apdu.apdu === 'access-response') {
    const octets = content.apdu.data.find((d) => d.type === 'octet-string');
    if (octets && 'hex' in octets) return { kind: 'firmware-version', version: octets.hex };
  }
  if (content.family === 'gbz') {
    const value = content.gbz.components.flatMap((c) => c.attributes ?? []).find((a) => a.status === 0 && typeof a.value === 'string')?.value;
    if (typeof value === 'string') return { kind: 'firmware-version', version: value };
  }
  return { kind: 'device-response', success: contentSucceeded(content) };
}

function dailyLogResult(content: GbcsContent): GbcsResult {
  if (content.family === 'dlms' && content.apdu.apdu === 'access-response') {
    const entries: { time: string; value: number }[] = [];
    const log = content.apdu.data[0];
    const rows = log?.type === 'structure' && log.items[0]?.type === 'array' ? log.items[0].items : [];
    for (const row of rows) {
      if (row.type !== 'structure') continue;
      const time = dlmsNumber(row.items[0]);
      const value = dlmsNumber(row.items[1]);
      if (time !== undefined && value !== undefined) entries.push({ time: zigbeeTime(time), value });
    }
    if (entries.length > 0) return { kind: 'daily-log', entries };
  }
  if (content.family === 'gbz') {
    const sampled = content.gbz.components.find((c) => c.cluster === METERING && (c.frameControl & 0x03) === 1 && c.commandId === 0x07 && c.payloadHex);
    if (sampled) return { kind: 'daily-log', entries: sampledData(Buffer.from(sampled.payloadHex!, 'hex')) };
  }
  return { kind: 'device-response', success: contentSucceeded(content) };
}

/** ZSE Get Sampled Data Response: sample ID, start time, type, interval, count, then 24-bit samples (LE). */
function sampledData(bytes: Buffer): { time: string; value: number }[] {
  if (bytes.length < 11) return [];
  const start = bytes.readUInt32LE(2);
  const count = bytes.readUInt16LE(9);
  const entries: { time: string; value: number }[] = [];
  for (let i = 0; i < count && 11 + i * 3 + 3 <= bytes.length; i++)
    entries.push({ time: zigbeeTime(start + i * 86400), value: bytes.readUIntLE(11 + i * 3, 3) });
  return entries;
}

function deviceLogResult(apdu: DlmsApdu): GbcsResult {
  const entries: { deviceId: string; lastCommunications?: string }[] = [];
  const walk = (items: readonly DlmsData[]): void => {
    for (const item of items) {
      if (item.type === 'structure' && item.items[0]?.type === 'octet-string' && item.items[0].hex.length === 16) {
        // CCS06 entries carry the last contact as a DLMS date-time (12 octets) further along.
        const seen = item.items.slice(1).find((x) => x.type === 'octet-string' && x.hex.length === 24);
        const at = seen && 'hex' in seen ? dlmsDateTime(seen.hex) : undefined;
        entries.push({ deviceId: item.items[0].hex, ...(at && at.endsWith('Z') ? { lastCommunications: at } : {}) });
      } else if (item.type === 'array' || item.type === 'structure') walk(item.items);
    }
  };
  if (apdu.apdu === 'access-response') walk(apdu.data);
  return { kind: 'device-log', success: allSucceeded(apdu), entries };
}

function asn1Result(messageCode: number, node: Asn1Node, service: string): GbcsResult {
  if (JOIN_CODES.has(messageCode)) {
    const responseCode = asn1Integer(node) ?? -1;
    const reason = JOIN_REASONS[responseCode] ?? 'unknownResponseCode';
    return { kind: 'join', success: responseCode === 0, responseCode, reason };
  }
  if (messageCode === JOIN_DETAILS) {
    const responseCode = asn1Integer(node.children?.[0]);
    const entries = (node.children?.[1]?.children ?? []).map((entry) => ({
      deviceId: entry.children?.[0]?.hex ?? '',
      deviceType: asn1Integer(entry.children?.[1]) ?? -1,
    }));
    return { kind: 'device-log', success: responseCode === 0, entries };
  }
  if (service === '11.2') {
    // CS08: SEQUENCE { version, result }; an error (RTDS CS08 ERROR: result 1) still carries zero octets.
    const version = node.children?.find((c) => c.tag === 4)?.hex;
    const result = asn1Integer(node.children?.find((c) => c.tag === 2));
    if (version !== undefined && (result === undefined || result === 0)) return { kind: 'firmware-version', version };
  }
  const code = node.constructed ? asn1Integer(node.children?.find((c) => c.tag === 2)) : asn1Integer(node);
  return { kind: 'device-response', success: code === undefined || code === 0 };
}

function alertResult(content: GbcsContent, messageCode: number): GbcsResult {
  if (content.family === 'gbz' && content.gbz.alertCode !== undefined)
    return { kind: 'alert', alertCode: hex4(content.gbz.alertCode), ...(content.gbz.timestamp ? { timestamp: content.gbz.timestamp } : {}) };
  if (content.family === 'dlms' && content.apdu.apdu === 'data-notification' && content.apdu.body.type === 'structure') {
    const code = dlmsNumber(content.apdu.body.items[0]);
    const time = content.apdu.body.items[1];
    if (code !== undefined) return { kind: 'alert', alertCode: hex4(code), ...(time && 'hex' in time ? { timestamp: dlmsDateTime(time.hex) } : {}) };
  }
  return { kind: 'alert', alertCode: `message ${hex4(messageCode)}` };
}

function hex4(value: number): string {
  return '0x' + value.toString(16).toUpperCase().padStart(4, '0');
}

/** DLMS date-time (Blue Book 4.1.6.1) to ISO when fully specified, else its hex. */
export function dlmsDateTime(hex: string): string {
  const b = Buffer.from(hex, 'hex');
  if (b.length !== 12) return hex;
  const year = b.readUInt16BE(0);
  const [month, day, , hour, minute, second] = [b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!];
  if (year === 0xffff || month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59) return hex;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second)).toISOString();
}
