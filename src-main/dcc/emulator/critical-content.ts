/**
 * The GBCS content of the training premises' critical commands and their device responses, laid out as the RTDS
 * 4.5.0 messages are (8.1.1_ECS70Commission, 8.1.1_GCS28Commission, 8.7.1_CS03A1): what DCC's Transform puts
 * in a pre-command for 8.1.1 / 8.7.1, and what the ESME, GSME or meter answers.
 */

/** Message codes (GBCS use cases) of the critical requests simulated here. */
export const CRITICAL_MESSAGE_CODES = { ECS70: 0x0062, GCS28: 0x007f, CS03A1: 0x000d } as const;

/** GBCS JoinDevice other-device types (CS03B joins an IHD as 3 "type 2", CS03A1 a PPMID as 4). */
export const JOIN_DEVICE_TYPES: Readonly<Record<string, number>> = { PPMID: 4, HCALCS: 5 };

/** DLMS date-time (12 bytes): year, month, day, day-of-week not specified, h m s, hundredths 0, deviation unknown (UTC). */
export function dlmsDateTime(ms: number): Buffer {
  const d = new Date(ms);
  const bytes = Buffer.alloc(12);
  bytes.writeUInt16BE(d.getUTCFullYear(), 0);
  bytes.set([d.getUTCMonth() + 1, d.getUTCDate(), 0xff, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), 0], 2);
  bytes.set([0x80, 0x00, 0xff], 9);
  return bytes;
}

/** ASN.1 GeneralizedTime as GBCS ZigBee-side use cases carry it: `YYYYMMDDhhmmssZ`. */
function generalizedTime(ms: number): Buffer {
  const text = new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return Buffer.concat([Buffer.of(0x18, text.length), Buffer.from(text, 'ascii')]);
}

const invokeId = (counter: bigint): Buffer => {
  const id = Buffer.alloc(4);
  id.writeUInt32BE((0x20000000 | Number(counter & 0xffffffn)) >>> 0);
  return id;
};

/** Clock object (class 8, 0-0:1.0.0.255) attribute or method descriptor with its access kind (1 get, 2 set, 3 action). */
const clock = (kind: number, id: number): Buffer => Buffer.from([kind, 0x00, 0x08, 0, 0, 1, 0, 0, 0xff, id]);
const octets12 = (bytes: Buffer): Buffer => Buffer.concat([Buffer.of(0x09, 0x0c), bytes]);

/**
 * ECS70 (commission an ESME, synchronise its clock): set the clock's time source (attr 9, enum 5), preset the
 * time valid between `from` and `to` (method 5), adjust to it (method 4), then read back time and status.
 */
export function ecs70Command(counter: bigint, fromMs: number, toMs: number): Buffer {
  const notSpecified = Buffer.from('FFFFFFFFFFFFFFFFFF8000FF', 'hex');
  return Buffer.concat([
    Buffer.of(0xd9),
    invokeId(counter),
    Buffer.of(0x00, 0x05),
    clock(2, 9),
    clock(3, 5),
    clock(3, 4),
    clock(1, 2),
    clock(1, 4),
    Buffer.of(0x05, 0x16, 0x05, 0x02, 0x03),
    octets12(notSpecified),
    octets12(dlmsDateTime(fromMs)),
    octets12(dlmsDateTime(toMs)),
    Buffer.of(0x0f, 0x00, 0x00, 0x00),
  ]);
}

/** The ESME's ECS70 answer: every access succeeded, its clock now reads `clockMs`, clock status 0. */
export function ecs70Response(counter: bigint, clockMs: number): Buffer {
  return Buffer.concat([
    Buffer.of(0xda),
    invokeId(counter),
    // No date-time, no echo of the request specification, then five data items.
    Buffer.of(0x00, 0x00, 0x05, 0x00, 0x00, 0x00),
    octets12(dlmsDateTime(clockMs)),
    Buffer.of(0x11, 0x00),
    Buffer.of(0x05, 0x02, 0x00, 0x03, 0x00, 0x03, 0x00, 0x01, 0x00, 0x01, 0x00),
  ]);
}

const sequence = (...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.of(0x30, body.length), body]);
};
const integer = (value: number): Buffer => Buffer.of(0x02, 0x01, value);

/** GCS28 (commission a GSME): the window its clock must fall in. */
export function gcs28Command(fromMs: number, toMs: number): Buffer {
  return sequence(generalizedTime(fromMs), generalizedTime(toMs));
}

/** The GSME's GCS28 answer: its clock, and 0 (in the window; commissioned). */
export function gcs28Response(clockMs: number): Buffer {
  return sequence(generalizedTime(clockMs), integer(0));
}

/** CS03A1 (Method A join, the meter initiating): join method and role 0, the other device and its type. */
export function cs03a1Command(otherEui: string, otherType: number): Buffer {
  return sequence(integer(0), Buffer.concat([Buffer.of(0x04, 0x08), Buffer.from(otherEui, 'hex')]), integer(otherType));
}

/** The meter's CS03A1 answer: a JoinDeviceResponse code (0 success; 13 noCBKEResponse …). */
export function cs03a1Response(code: number): Buffer {
  return integer(code);
}
