import { readAsn1Content, type Asn1Node } from './asn1';
import { ByteReader, toHex } from './bytes';
import { readDlmsApdu, readDlmsData, type DlmsApdu, type DlmsData } from './dlms';
import type { Cra } from './framing';
import { readGbz, readZclPayload, type GbzComponent, type GbzPayload } from './gbz';
import type { Decryptor } from './verify';

/**
 * The payload families of GBCS (7.3 DLMS COSEM, 7.4 GBZ, 10.x ASN.1), chosen by the content's first bytes as
 * the specification lays them out: xDLMS tags D9/DA/0F, GBZ profile 01 09, DER otherwise. Encrypted parts are
 * opened with `decrypt` and replaced by what they contain; the bytes that were encrypted are kept, in order.
 */
export type GbcsContent =
  | { readonly family: 'dlms'; readonly apdu: DlmsApdu }
  | { readonly family: 'gbz'; readonly gbz: GbzPayload }
  | { readonly family: 'asn1'; readonly asn1: Asn1Node }
  | { readonly family: 'dlms-alert'; readonly data: readonly DlmsData[] };

export interface DecodedPayload {
  readonly content: GbcsContent;
  readonly encrypted: boolean;
  /** 'none' when nothing was encrypted. */
  readonly decryption: 'none' | 'decrypted' | 'invalid' | 'unknown';
  readonly plaintexts: readonly Buffer[];
}

/** Message codes whose content is DER (GBCS 10.x): CS02x, CS03x, CS04x, CS06, CS07, CS08, CS09, GCS28, GCS59, GCS62, CCS08. */
const ASN1_CODES = new Set([
  0x0008, 0x000a, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f, 0x0010, 0x0012, 0x0013, 0x007f, 0x008c, 0x00ab, 0x00af, 0x00b2, 0x00ca, 0x00cb, 0x011b, 0x0124,
  0x0125, 0x0126, 0x0128, 0x0129, 0x012b,
]);
const GCS53_ALERT = 0x008b;

export function isAsn1UseCase(messageCode: number): boolean {
  return ASN1_CODES.has(messageCode) || (messageCode >= 0x0100 && messageCode <= 0x0109);
}

export function readPayload(reader: ByteReader, messageCode: number, cra: Cra, decrypt: Decryptor): DecodedPayload {
  const first = reader.peek();
  const second = reader.peek(1);
  const state = new DecryptionState(decrypt);
  let content: GbcsContent;
  if (isAsn1UseCase(messageCode)) {
    content = { family: 'asn1', asn1: readAsn1Content(reader) };
  } else if (first === 0xd9 || first === 0xda || first === 0x0f) {
    const apdu = openDlms(readDlmsApdu(reader), state);
    content = { family: 'dlms', apdu };
  } else if (first === 0x01 && second === 0x09) {
    content = { family: 'gbz', gbz: openGbz(readGbz(reader, cra === 'alert', messageCode === GCS53_ALERT), state) };
  } else {
    // DLMS alerts that carry bare Data after a short header (future-dated, billing data log, …)
    const data: DlmsData[] = [];
    while (reader.remaining > 0) data.push(readDlmsData(reader));
    content = { family: 'dlms-alert', data };
  }
  reader.expectEnd('content');
  return { content, encrypted: state.encrypted, decryption: state.verdict, plaintexts: state.plaintexts };
}

class DecryptionState {
  encrypted = false;
  verdict: DecodedPayload['decryption'] = 'none';
  readonly plaintexts: Buffer[] = [];
  constructor(private readonly decrypt: Decryptor) {}

  open(ciphertextAndTag: Uint8Array): Buffer | undefined {
    this.encrypted = true;
    const result = this.decrypt(ciphertextAndTag);
    if (result.verdict !== 'decrypted') {
      this.verdict = result.verdict;
      return undefined;
    }
    if (this.verdict === 'none') this.verdict = 'decrypted';
    this.plaintexts.push(result.plaintext!);
    return result.plaintext;
  }
}

/**
 * GBCS protects DLMS response data as a structure of two: the protection parameters (an array describing the
 * key: transaction-id 04 ‖ counter, originator, recipient…) and an octet string 0x31 ‖ invocation counter ‖
 * ciphertext ‖ tag. The structure is replaced by the Data the plaintext holds.
 */
function openDlms(apdu: DlmsApdu, state: DecryptionState): DlmsApdu {
  if (apdu.apdu !== 'access-response') return apdu;
  return { ...apdu, data: apdu.data.map((d) => openDlmsData(d, state)) };
}

function openDlmsData(data: DlmsData, state: DecryptionState): DlmsData {
  if (data.type !== 'structure' || data.items.length !== 2) return data;
  const [parameters, protectedOctets] = data.items;
  if (parameters?.type !== 'array' || protectedOctets?.type !== 'octet-string' || !protectedOctets.hex.startsWith('31')) return data;
  const bytes = Buffer.from(protectedOctets.hex, 'hex');
  if (bytes.length < 5 + 12) return data;
  const plaintext = state.open(bytes.subarray(5));
  if (!plaintext) return { type: 'null' };
  const inner = new ByteReader(plaintext);
  const items: DlmsData[] = [];
  while (inner.remaining > 0) items.push(readDlmsData(inner));
  return items.length === 1 ? items[0]! : { type: 'array', items };
}

function openGbz(gbz: GbzPayload, state: DecryptionState): GbzPayload {
  if (!gbz.components.some((c) => c.ciphertext)) return gbz;
  return { ...gbz, components: gbz.components.map((c) => openComponent(c, state)) };
}

function openComponent(component: GbzComponent, state: DecryptionState): GbzComponent {
  if (!component.ciphertext) return component;
  const { ciphertext, ...rest } = component;
  const plaintext = state.open(ciphertext);
  if (!plaintext) return rest;
  return { ...rest, ...readZclPayload(new ByteReader(plaintext), component.frameControl, component.commandId), plaintextHex: toHex(plaintext) } as GbzComponent;
}
