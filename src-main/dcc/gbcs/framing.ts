import { ByteReader, readBigUint } from './bytes';

/**
 * GBCS message framing (GBCS v4 section 7.2): an optional MAC header — a DLMS general-ciphering APDU (`DD`)
 * with five empty fields, no key-info, a 5-byte security header (security control byte + invocation counter),
 * and a 12-byte GMAC at the end — around the grouping header, a DLMS general-signing APDU (`DF`): transaction-id
 * (CRA flag ‖ originator counter), originator and recipient system titles (EUI-64), optional date-time,
 * other-information (message code and supplementary remote party fields), content, signature.
 * Responses to critical commands are a bare `DF` with a 64-byte signature and no MAC.
 */
export type Cra = 'command' | 'response' | 'alert';

export interface GroupingHeader {
  readonly cra: Cra;
  /** Originator counter (transaction-id after the CRA flag), 8 bytes big-endian. */
  readonly counter: bigint;
  /** The 9 bytes of transaction-id (CRA flag ‖ counter), as the MAC key derivation uses them. */
  readonly transactionId: Uint8Array;
  readonly originator: Uint8Array;
  readonly recipient: Uint8Array;
  /** DLMS date-time (12 bytes) when present. */
  readonly dateTime?: Uint8Array;
  readonly messageCode: number;
  /** Other-information ≥ 10 bytes: the remote party the device answers on behalf of (e.g. the User behind the DCC). */
  readonly supplementaryRemotePartyId?: Uint8Array;
  readonly supplementaryRemotePartyCounter?: bigint;
  /** Other-information of 26 bytes: the originator counter this response is for. */
  readonly supplementaryOriginatorCounter?: Uint8Array;
  /** Other-information longer than 26 bytes: the remote party's key-agreement certificate (DER). */
  readonly supplementaryRemotePartyCertificate?: Uint8Array;
}

export interface MacHeader {
  readonly securityControl: number;
  readonly invocationCounter: Uint8Array;
  /** The 12-byte GMAC that ends the ciphered service. */
  readonly mac: Uint8Array;
  /** Offset of the MAC in the message (for error reports). */
  readonly macOffset: number;
  /**
   * Additional authenticated data of the GMAC: security header ‖ 0x00 ‖ the whole general-signing APDU (the
   * layout the GBCS section 18.4 test vector's MAC verifies with).
   */
  readonly authenticatedData: Uint8Array;
}

export interface GbcsFrame {
  readonly macHeader?: MacHeader;
  readonly header: GroupingHeader;
  readonly content: Uint8Array;
  /** Offset of the content's first byte in the message. */
  readonly contentOffset: number;
  readonly signature?: Uint8Array;
  /** What the originator signed: the general-signing APDU after its tag, up to the end of the content. */
  readonly signedData: Uint8Array;
  /** A general-signing APDU without its signature field: a pre-command awaiting the User's signature. */
  readonly preCommand?: boolean;
}

const GENERAL_CIPHERING = 0xdd;
const GENERAL_SIGNING = 0xdf;
/** DLMS GBT-APDU (Green Book 9.3.x): GB segmented block transfer. */
const GENERAL_BLOCK_TRANSFER = 0xe0;
const CRA: Record<number, Cra> = { 1: 'command', 2: 'response', 3: 'alert' };
const MAC_LENGTH = 12;
const ZERO = Uint8Array.of(0);

/** Reads the frame layers of a whole message. Throws `GbcsFormatError` with a reason and offset. */
export function readFrame(bytes: Uint8Array): GbcsFrame {
  const reader = new ByteReader(bytes);
  const tag = reader.peek();
  if (tag === GENERAL_CIPHERING) return readGeneralCiphering(reader);
  if (tag === GENERAL_SIGNING) {
    const frame = readGeneralSigning(reader);
    reader.expectEnd('general signing');
    return frame;
  }
  if (tag === GENERAL_BLOCK_TRANSFER)
    reader.fail('GB segmented block transfer (GBT) is not reassembled here (no test vector exists); the DCC delivers the whole response');
  return reader.fail(tag === undefined ? 'empty message' : `not a GBCS message: tag 0x${tag.toString(16).padStart(2, '0')} (expected DD or DF)`);
}

function readGeneralCiphering(reader: ByteReader): GbcsFrame {
  reader.u8();
  for (const field of ['transaction-id', 'originator-system-title', 'recipient-system-title', 'date-time', 'other-information']) {
    const at = reader.offset;
    if (reader.u8(field) !== 0) reader.fail(`general ciphering: ${field} must be empty in GBCS`, at);
  }
  const keyInfoAt = reader.offset;
  if (reader.u8('key-info') !== 0) reader.fail('general ciphering: key-info must be absent in GBCS', keyInfoAt);
  const length = reader.berLength('ciphered content length');
  const service = reader.sub(length, 'ciphered content');
  reader.expectEnd('general ciphering');
  const headerStart = service.offset;
  const securityControl = service.u8('security control byte');
  if (securityControl !== 0x11) service.fail(`security control byte 0x${securityControl.toString(16)} (GBCS MACs use 0x11)`, headerStart);
  const invocationCounter = service.take(4, 'invocation counter');
  if (service.remaining < MAC_LENGTH + 1) service.fail('ciphered content too short for a grouping header and MAC');
  const signing = new ByteReader(service.bytes, service.offset, service.end - MAC_LENGTH);
  if (signing.peek() !== GENERAL_SIGNING) signing.fail('general ciphering must contain a general signing APDU (DF)');
  const frame = readGeneralSigning(signing);
  signing.expectEnd('general signing');
  const macOffset = service.end - MAC_LENGTH;
  return {
    ...frame,
    macHeader: {
      securityControl,
      invocationCounter,
      mac: service.bytes.subarray(macOffset, service.end),
      macOffset,
      authenticatedData: Buffer.concat([service.bytes.subarray(headerStart, headerStart + 5), ZERO, service.bytes.subarray(headerStart + 5, macOffset)]),
    },
  };
}

function readGeneralSigning(reader: ByteReader): GbcsFrame {
  const start = reader.offset;
  reader.u8();
  const transactionAt = reader.offset;
  if (reader.u8('transaction-id length') !== 9) reader.fail('transaction-id must be 9 bytes (CRA flag and counter)', transactionAt);
  const transactionId = reader.take(9, 'transaction-id');
  const cra = CRA[transactionId[0]!];
  if (!cra) reader.fail(`CRA flag ${transactionId[0]} (expected 1 command, 2 response, 3 alert)`, transactionAt + 1);
  const originator = systemTitle(reader, 'originator system title');
  const recipient = systemTitle(reader, 'recipient system title');
  const dateTimeAt = reader.offset;
  const dateTimeLength = reader.u8('date-time length');
  if (dateTimeLength !== 0 && dateTimeLength !== 12) reader.fail(`date-time of ${dateTimeLength} bytes (0 or 12)`, dateTimeAt);
  const dateTime = dateTimeLength ? reader.take(12, 'date-time') : undefined;
  const otherAt = reader.offset;
  const other = reader.sub(reader.berLength('other-information length'), 'other-information');
  const header: GroupingHeader = {
    cra,
    counter: readBigUint(transactionId.subarray(1)),
    transactionId,
    originator,
    recipient,
    ...(dateTime ? { dateTime } : {}),
    ...readOtherInformation(other, otherAt),
  };
  const contentLength = reader.berLength('content length');
  const contentOffset = reader.offset;
  const content = reader.take(contentLength, 'content');
  const signedData = reader.bytes.subarray(start + 1, reader.offset);
  // A pre-command (DCC's Transform output, to be signed by the User) ends at its content: no signature field yet.
  if (reader.remaining === 0) return { header, content, contentOffset, signedData, preCommand: true };
  const signatureAt = reader.offset;
  const signatureLength = reader.berLength('signature length');
  if (signatureLength !== 0 && signatureLength !== 64) reader.fail(`signature of ${signatureLength} bytes (ECDSA P-256 is 64)`, signatureAt);
  const signature = signatureLength ? reader.take(64, 'signature') : undefined;
  return { header, content, contentOffset, signedData, ...(signature ? { signature } : {}) };
}

function systemTitle(reader: ByteReader, what: string): Uint8Array {
  const at = reader.offset;
  if (reader.u8(`${what} length`) !== 8) reader.fail(`${what} must be an 8-byte EUI-64`, at);
  return reader.take(8, what);
}

function readOtherInformation(other: ByteReader, at: number): Omit<GroupingHeader, 'cra' | 'counter' | 'transactionId' | 'originator' | 'recipient'> {
  const length = other.remaining;
  if (length !== 2 && length !== 10 && length !== 18 && length < 26) other.fail(`other-information of ${length} bytes (2, 10, 18, 26 or more)`, at);
  const messageCode = other.u16('message code');
  if (length === 2) return { messageCode };
  const supplementaryRemotePartyId = other.take(8, 'supplementary remote party ID');
  if (length === 10) return { messageCode, supplementaryRemotePartyId };
  const supplementaryRemotePartyCounter = readBigUint(other.take(8, 'supplementary remote party counter'));
  if (length === 18) return { messageCode, supplementaryRemotePartyId, supplementaryRemotePartyCounter };
  if (length === 26)
    return {
      messageCode,
      supplementaryRemotePartyId,
      supplementaryRemotePartyCounter,
      supplementaryOriginatorCounter: other.take(8, 'supplementary originator counter'),
    };
  return {
    messageCode,
    supplementaryRemotePartyId,
    supplementaryRemotePartyCounter,
    supplementaryRemotePartyCertificate: other.take(other.remaining, 'certificate'),
  };
}
