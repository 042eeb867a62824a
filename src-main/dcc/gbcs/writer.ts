import { sign, type KeyObject } from 'node:crypto';
import { computeMac, deriveMessageKey, encryptContent, encryptionTransactionId } from './crypto';
import type { Cra } from './framing';

/**
 * Writes GBCS messages as a device does — the grouping header, content, signature where GBCS requires one, the
 * MAC wrapper, and encrypted DLMS register data for the User — so the training premises can answer like a
 * DCC Boxed (issue 13) and tests can make messages with keys they hold. The inverse of framing.ts/verify.ts.
 */
export interface GbcsMessageSpec {
  readonly cra: Cra;
  readonly counter: bigint;
  /** EUI-64s as 16 hex digits. */
  readonly originator: string;
  readonly recipient: string;
  readonly dateTime?: Uint8Array;
  readonly messageCode: number;
  /** Other-information after the message code (supplementary remote party ID, counters). */
  readonly supplementary?: Uint8Array;
  readonly content: Uint8Array;
  /** Sign with the originator's digital-signing key (critical responses, alerts that GBCS signs). */
  readonly signingKey?: KeyObject;
  /** MAC with the originator's key-agreement private key and the recipient's public key. */
  readonly mac?: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
}

const CRA_FLAGS: Record<Cra, number> = { command: 1, response: 2, alert: 3 };

export function berLength(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  if (n < 0x100) return Buffer.of(0x81, n);
  if (n < 0x10000) return Buffer.of(0x82, n >> 8, n & 0xff);
  return Buffer.of(0x83, n >> 16, (n >> 8) & 0xff, n & 0xff);
}

function counterBytes(counter: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(counter);
  return bytes;
}

export function writeGbcsMessage(spec: GbcsMessageSpec): Buffer {
  const transactionId = Buffer.concat([Buffer.of(CRA_FLAGS[spec.cra]), counterBytes(spec.counter)]);
  const originator = Buffer.from(spec.originator, 'hex');
  const recipient = Buffer.from(spec.recipient, 'hex');
  const other = Buffer.concat([Buffer.of(spec.messageCode >> 8, spec.messageCode & 0xff), spec.supplementary ?? Buffer.alloc(0)]);
  const signed = Buffer.concat([
    Buffer.of(0x09),
    transactionId,
    Buffer.of(0x08),
    originator,
    Buffer.of(0x08),
    recipient,
    spec.dateTime ? Buffer.concat([Buffer.of(12), spec.dateTime]) : Buffer.of(0),
    berLength(other.length),
    other,
    berLength(spec.content.length),
    spec.content,
  ]);
  const signature = spec.signingKey ? sign('sha256', signed, { key: spec.signingKey, dsaEncoding: 'ieee-p1363' }) : Buffer.alloc(0);
  const generalSigning = Buffer.concat([Buffer.of(0xdf), signed, Buffer.of(signature.length), signature]);
  if (!spec.mac) return generalSigning;
  const securityHeader = Buffer.of(0x11, 0, 0, 0, 0);
  const key = deriveMessageKey(spec.mac.privateKey, spec.mac.publicKey, { originator, transactionId, recipient });
  const mac = computeMac(key, originator, Buffer.concat([securityHeader, Buffer.of(0), generalSigning]));
  const service = Buffer.concat([securityHeader, generalSigning, mac]);
  return Buffer.concat([Buffer.of(0xdd, 0, 0, 0, 0, 0, 0), berLength(service.length), service]);
}

/** A DLMS octet-string Data (tag 09). */
function octets(bytes: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(0x09), berLength(bytes.length), bytes]);
}

/**
 * DLMS response data encrypted for the User, laid out as the RTDS ECS17b response is: a structure of the
 * protection parameters (transaction-id 04 ‖ counter, originator, recipient, no date-time, key information)
 * and the octet string 0x31 ‖ invocation counter ‖ ciphertext ‖ tag.
 */
export function protectedDlmsData(
  plaintext: Uint8Array,
  parties: {
    readonly originator: string;
    readonly recipient: string;
    readonly counter: bigint;
    readonly devicePrivateKey: KeyObject;
    readonly userPublicKey: KeyObject;
  },
): Buffer {
  const originator = Buffer.from(parties.originator, 'hex');
  const recipient = Buffer.from(parties.recipient, 'hex');
  const transactionId = encryptionTransactionId(counterBytes(parties.counter));
  const key = deriveMessageKey(parties.devicePrivateKey, parties.userPublicKey, { originator, transactionId, recipient });
  const sealed = Buffer.concat([Buffer.of(0x31, 0, 0, 0, 0), encryptContent(key, originator, plaintext)]);
  const keyInformation = Buffer.from('020216020202090102' + '0900', 'hex');
  const parameters = Buffer.concat([
    Buffer.from('0101020216020205', 'hex'),
    octets(transactionId),
    octets(originator),
    octets(recipient),
    octets(Buffer.alloc(0)),
    keyInformation,
  ]);
  return Buffer.concat([Buffer.of(0x02, 0x02), parameters, octets(sealed)]);
}

/** The DLMS register structure of an ECS17b answer: import (Wh) and reactive (varh), scaler 0. */
export function ecs17bRegisters(importWh: number, reactiveVarh: number): Buffer {
  const u32 = (v: number): Buffer => {
    const b = Buffer.alloc(5);
    b[0] = 0x06;
    b.writeUInt32BE(v >>> 0, 1);
    return b;
  };
  return Buffer.concat([
    Buffer.from('02010204', 'hex'),
    u32(importWh),
    Buffer.from('02020F00161E', 'hex'),
    u32(reactiveVarh),
    Buffer.from('02020F001620', 'hex'),
  ]);
}

/** An ACCESS-RESPONSE with one Data and one action result (0 = success), invoke id from the counter. */
export function accessResponse(counter: bigint, data: Uint8Array, result = 0): Buffer {
  const invoke = Buffer.alloc(4);
  invoke.writeUInt32BE(0x20000000 | Number(counter & 0xffffffn));
  return Buffer.concat([Buffer.of(0xda), invoke, Buffer.of(0, 0, 1), data, Buffer.of(1, 3, result)]);
}
