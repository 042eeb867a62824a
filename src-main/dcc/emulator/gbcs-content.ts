import type { KeyObject } from 'node:crypto';
import { deriveMessageKey, encryptContent, encryptionTransactionId } from '../gbcs/crypto';
import { accessResponse, berLength, ecs17bRegisters, protectedDlmsData } from '../gbcs/writer';

/**
 * The content of the device responses the simulator sends, byte for byte as the DCC Reference Test Data Set
 * 4.5.0 lays each use case out (../shared/data/gbcs/rtds, folder named beside each builder), with the values of
 * the training premises in place of the RTDS ones. Framing, MAC and signature are `writer.ts`'s.
 */

/** Who the encrypted part of a response is for (the User behind the DCC), and the counter it is keyed with. */
export interface ContentKeys {
  readonly originator: string;
  readonly reader: string;
  readonly counter: bigint;
  /** The response's own counter (grouping header): the ACB's for the Comms Hub, the RequestID's for a meter. */
  readonly frameCounter: bigint;
  readonly devicePrivateKey: KeyObject;
  readonly readerPublicKey: KeyObject;
}

function invokeId(counter: bigint): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(0x20000000 | Number(counter & 0xffffffn));
  return id;
}

/** DLMS date-time (Blue Book 4.1.6.1), UTC, deviation 0x8000 unspecified, clock status 0. */
export function dlmsDateTime(date: Date): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(date.getUTCFullYear(), 0);
  b[2] = date.getUTCMonth() + 1;
  b[3] = date.getUTCDate();
  b[4] = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  b[5] = date.getUTCHours();
  b[6] = date.getUTCMinutes();
  b[7] = date.getUTCSeconds();
  b[8] = Math.floor(date.getUTCMilliseconds() / 10);
  b.writeUInt16BE(0x8000, 9);
  b[11] = 0;
  return b;
}

/**
 * CCS01 (8.11 add) / CCS02 (8.11 remove), RTDS 8.11_CCS01, 8.11_CCS02: an ACCESS-RESPONSE whose action and set
 * results say whether the Comms Hub took the change (0 success; 2 temporary failure, as the RTDS error shows).
 */
export function deviceLogUpdateContent(counter: bigint, add: boolean, success: boolean): Buffer {
  const result = success ? 0 : 2;
  const specs = add ? [0x03, result, 0x02, result, 0x02, result] : [0x03, result];
  const data = add ? [0x03, 0, 0, 0] : [0x01, 0];
  return Buffer.concat([Buffer.of(0xda), invokeId(counter), Buffer.of(0, 0, ...data, specs.length / 2, ...specs)]);
}

/** One CHF device log entry as RTDS 8.9_CCS06 carries it: 14 fields, the device ID first, last contact ninth. */
function chfLogEntry(deviceId: string, lastCommunications: Date | undefined): Buffer {
  const eui = Buffer.from(deviceId.replace(/-/g, ''), 'hex');
  const seen = lastCommunications ? dlmsDateTime(lastCommunications) : Buffer.from('FFFFFFFFFFFFFFFFFF8000FF', 'hex');
  return Buffer.concat([
    Buffer.from('020E0908', 'hex'),
    eui,
    Buffer.from('0408C80FDD0FCE0F9C1102112711F7090C', 'hex'),
    seen,
    Buffer.from('11011100116411011101', 'hex'),
  ]);
}

/** CCS06 (8.9 on the Comms Hub), RTDS 8.9_CCS06: GET of the CHF device log, one array of entries. */
export function chfDeviceLogContent(counter: bigint, entries: readonly { readonly deviceId: string; readonly lastCommunications?: string }[]): Buffer {
  const rows = entries.map((e) => chfLogEntry(e.deviceId, e.lastCommunications ? new Date(e.lastCommunications) : undefined));
  return Buffer.concat([Buffer.of(0xda), invokeId(counter), Buffer.of(0, 0, 1, 0x01, rows.length), ...rows, Buffer.of(1, 1, 0)]);
}

/** CS07 (8.9 on a meter), RTDS 8.9_CS07: DER SEQUENCE { INTEGER result, SEQUENCE OF { OCTET STRING eui, INTEGER type } }. */
export function meterDeviceLogContent(entries: readonly { readonly deviceId: string; readonly deviceType: number }[]): Buffer {
  const der = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.of(tag), berLength(body.length), body]);
  const rows = entries.map((e) => der(0x30, Buffer.concat([der(0x04, Buffer.from(e.deviceId.replace(/-/g, ''), 'hex')), der(0x02, Buffer.of(e.deviceType))])));
  return der(0x30, Buffer.concat([der(0x02, Buffer.of(0)), der(0x30, Buffer.concat(rows))]));
}

/** CS03A2/CS03B/CS03C (8.7.2), RTDS 8.7.2_CS03B: the JoinDeviceResponse code as a DER INTEGER (0 = success). */
export function joinContent(responseCode: number): Buffer {
  return Buffer.of(0x02, 0x01, responseCode);
}

/** ECS17b (4.1.1 on an ESME), RTDS 4.1.1_ECS17b: import and reactive registers, encrypted for the User. */
export function esmeRegistersContent(importWh: number, reactiveVarh: number, keys: ContentKeys): Buffer {
  const data = protectedDlmsData(ecs17bRegisters(importWh, reactiveVarh), {
    originator: keys.originator,
    recipient: keys.reader,
    counter: keys.counter,
    devicePrivateKey: keys.devicePrivateKey,
    userPublicKey: keys.readerPublicKey,
  });
  return accessResponse(keys.counter, data);
}

/**
 * GCS13a (4.1.1 on a GSME), RTDS 4.1.1_GCS13a: a GBZ Metering read-attributes response — divisor 1000,
 * multiplier 1, unit m³, CurrentSummationDelivered — in one encrypted component.
 */
export function gsmeRegisterContent(summationLitres: number, keys: ContentKeys): Buffer {
  const u48 = Buffer.alloc(6);
  u48.writeUIntLE(Math.max(0, Math.floor(summationLitres)), 0, 6);
  const plaintext = Buffer.concat([Buffer.from('02030022E80300' + '01030022010000' + '0003003001' + '00000025', 'hex'), u48]);
  const originator = Buffer.from(keys.originator, 'hex');
  const key = deriveMessageKey(keys.devicePrivateKey, keys.readerPublicKey, {
    originator,
    transactionId: encryptionTransactionId(counterBytes(keys.counter)),
    recipient: Buffer.from(keys.reader, 'hex'),
  });
  const ciphered = Buffer.concat([Buffer.of(0x31, 0, 0, 0, 0), encryptContent(key, originator, plaintext)]);
  const command = Buffer.concat([Buffer.of(0, 0, 0x18, 0, 0x01), u16(ciphered.length), ciphered]);
  return Buffer.concat([Buffer.of(0x01, 0x09, 0x01, 0x03, 0x07, 0x02), u16(command.length), command]);
}

/**
 * ECS52 (11.2 on an ESME or the Comms Hub), RTDS 11.2_ECS52 and the DCC Boxed captures: the ACCESS-RESPONSE to
 * one GET, the version as an octet string, result 0; invoke id from the command's counter as the capture shows.
 */
export function dlmsFirmwareContent(frameCounter: bigint, version: string): Buffer {
  const octets = Buffer.from(version, 'hex');
  return Buffer.concat([Buffer.of(0xda), invokeId(frameCounter), Buffer.of(0, 0, 1, 0x09, octets.length), octets, Buffer.of(1, 1, 0)]);
}

/**
 * GCS38 (11.2 on a GSME), RTDS 11.2_GCS38: one plain GBZ component, a ZCL Read Attributes Response of the
 * Metering cluster's firmware attribute (0x0206, octet string 0x41, status 0).
 */
export function gbzFirmwareContent(version: string): Buffer {
  const octets = Buffer.from(version, 'hex');
  const zcl = Buffer.concat([Buffer.of(0x08, 0x00, 0x01, 0x06, 0x02, 0x00, 0x41, octets.length), octets]);
  return Buffer.concat([Buffer.of(0x01, 0x09, 0x01, 0x01, 0x07, 0x02), u16(zcl.length), zcl]);
}

/** CS08 (11.2 on a PPMID or HCALCS), RTDS 11.2_CS08: DER SEQUENCE { OCTET STRING version, INTEGER 0 (success) }. */
export function asn1FirmwareContent(version: string): Buffer {
  const octets = Buffer.from(version, 'hex');
  const body = Buffer.concat([Buffer.of(0x04, octets.length), octets, Buffer.of(0x02, 0x01, 0x00)]);
  return Buffer.concat([Buffer.of(0x30, body.length), body]);
}

function u16(n: number): Buffer {
  return Buffer.of(n >> 8, n & 0xff);
}

function counterBytes(counter: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(counter);
  return b;
}
