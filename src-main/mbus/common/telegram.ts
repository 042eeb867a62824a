/** Decoded-telegram shapes shared by the wired decoder, the wireless decoder, the CLI and the UI. */

export type RecordFunction = 'instantaneous' | 'maximum' | 'minimum' | 'error' | 'manufacturer' | 'more-records-follow';

export interface DataRecord {
  /** Byte offset of the DIF in the (CRC-stripped) telegram. */
  readonly offset: number;
  /** Record length in bytes, DIF to last data byte. */
  readonly length: number;
  readonly function: RecordFunction;
  readonly storage: number;
  readonly tariff: number;
  readonly subunit: number;
  /** Lower-case quantity, e.g. "volume", "energy", "date-time", "fabrication-number". */
  readonly quantity: string;
  /** Base unit after scaling ("Wh", "m3", "s", "°C"…); "" when dimensionless. */
  readonly unit: string;
  /** Numbers are already scaled; dates are ISO 8601; text is decoded; raw data is upper-case hex. */
  readonly value: number | string | null;
  readonly valueType: 'number' | 'date' | 'date-time' | 'time' | 'text' | 'hex' | 'none';
  /** Combinable VIFE meanings (e.g. "per-hour", "lower-limit"), when present. */
  readonly modifiers?: readonly string[];
}

export interface TelegramHeader {
  /** Identification number as printed (BCD digits; hex digits kept as they are). */
  readonly id: string;
  /** Three-letter manufacturer code (FLAG association). */
  readonly manufacturer: string;
  readonly version: number;
  readonly medium: string;
  readonly mediumCode: number;
  readonly accessNumber: number;
  readonly status: number;
  readonly signature?: number;
}

export interface ApplicationError {
  readonly code: number;
  readonly text: string;
}

export interface WirelessInfo {
  /** "present" when the link-layer CRC blocks were in the input (raw capture), "stripped" when not (sticks). */
  readonly crc: 'present' | 'stripped';
  readonly format: 'A' | 'B' | null;
  readonly cField: number;
  /** Link-layer address: the radio sender (may be a repeater or a gateway in front of the meter). */
  readonly linkAddress: { readonly manufacturer: string; readonly id: string; readonly version: number; readonly deviceType: number };
  readonly securityMode: number;
  readonly ell?: { readonly ci: number; readonly communicationControl: number; readonly accessNumber: number; readonly sessionNumber?: number };
  readonly afl?: { readonly messageCounter?: number; readonly mac?: string };
}

/** How a decryption was verified: a MAC (mode 7), the ELL payload CRC, or only the plaintext's 2F2F markers (mode 5). */
export type DecryptionCheck = 'mac' | 'payload-crc' | 'plaintext-markers';

/** Bytes the decoder shows but does not interpret: a manufacturer-specific payload, unsupported encryption, stray bytes. */
export interface UndecodedBytes {
  /** Offset in the (CRC-stripped) telegram. */
  readonly offset: number;
  readonly length: number;
  readonly hex: string;
  /** In an engineer's words: "manufacturer-specific payload, CI 0xA2", "DES-encrypted: not supported", … */
  readonly reason: string;
}

export interface DecodedTelegram {
  readonly kind: 'wired' | 'wireless';
  /** Wired frame type; wireless telegrams are always "long". */
  readonly frame: 'ack' | 'short' | 'control' | 'long';
  readonly cField: number;
  /** Wired primary address (A field); absent for wireless. */
  readonly address?: number;
  readonly ci?: number;
  readonly header?: TelegramHeader;
  readonly encrypted: boolean;
  /** False when encrypted data could not be decrypted (no key, wrong key); see `decryptionError`. */
  readonly decrypted: boolean;
  readonly decryptionError?: string;
  /** Set when decrypted: what proved the key right. */
  readonly decryptionCheck?: DecryptionCheck;
  readonly records: readonly DataRecord[];
  /** DIF 0x1F: the meter has more records in the next telegram (multi-telegram read). */
  readonly moreRecordsFollow: boolean;
  readonly applicationError?: ApplicationError;
  /**
   * What the engineer should know although nothing failed: a compact frame whose format is not known yet, stray
   * bytes after the last record, a length that disagrees with the L-field, a payload that is not standard records.
   */
  readonly note?: string;
  readonly undecoded?: UndecodedBytes;
  readonly wireless?: WirelessInfo;
}

export interface DecodeError {
  readonly reason: string;
  /** Offset of the offending byte in the input as given. */
  readonly offset: number;
}

export type DecodeResult = { readonly ok: true; readonly telegram: DecodedTelegram } | { readonly ok: false; readonly error: DecodeError };
