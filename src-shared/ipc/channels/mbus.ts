import { z } from 'zod';
import { event, request } from '../define';

/** Where the M-Bus screen's wired master and wireless receiver are connected. */
export interface MbusStatus {
  readonly wired?: { readonly target: string; readonly training: boolean };
  readonly wireless?: { readonly target: string; readonly stick: string; readonly training: boolean };
  /** A scan is running ('primary' or 'secondary'). */
  readonly scanning?: 'primary' | 'secondary';
  /** The walk-by list keeps the most recently heard meters up to `capacity`; `dropped` were let go. */
  readonly walkBy?: WalkByBound;
}

export interface WalkByBound {
  readonly capacity: number;
  /** Meters dropped from the walk-by list since the receiver started (least recently heard first). */
  readonly dropped: number;
}

/** Meters let go from the walk-by list to keep it within its capacity. */
export interface HeardDroppedView extends WalkByBound {
  readonly keys: readonly string[];
}

/** One meter as the tables show it. */
export interface MbusMeterView {
  readonly id: string;
  readonly manufacturer: string;
  readonly version: number;
  readonly medium: string;
  readonly deviceType: number;
  readonly primary?: number;
  /** 16 nibbles: id, manufacturer, version, medium. */
  readonly secondary?: string;
}

export interface MbusRecordView {
  readonly quantity: string;
  readonly value: number | string | null;
  readonly unit: string;
  readonly storage: number;
  readonly tariff: number;
  readonly subunit: number;
  readonly function: string;
  readonly offset: number;
  readonly length: number;
}

/** One byte range of a telegram with what it means: the detail view's byte-by-byte breakdown. */
export interface ByteSegment {
  readonly offset: number;
  readonly length: number;
  readonly hex: string;
  readonly label: string;
}

export interface TelegramView {
  readonly hex: string;
  readonly kind: 'wired' | 'wireless';
  readonly meter?: MbusMeterView;
  readonly accessNumber?: number;
  readonly status?: number;
  readonly encrypted: boolean;
  readonly decrypted: boolean;
  readonly reason?: string;
  /** How the decryption was checked; 'plaintext-markers' (mode 5) proves less than a MAC or a CRC. */
  readonly decryptionCheck?: 'mac' | 'payload-crc' | 'plaintext-markers';
  /** What the engineer should know although nothing failed (stray bytes, a log of a decrypted telegram …). */
  readonly note?: string;
  /** Bytes shown but not interpreted, with why: a manufacturer-specific payload, unsupported encryption … */
  readonly undecoded?: { readonly offset: number; readonly length: number; readonly hex: string; readonly reason: string };
  /** The radio sender's address when it differs from the meter's (a TPL long header names another meter). */
  readonly linkAddress?: { readonly manufacturer: string; readonly id: string; readonly version: number; readonly deviceType: number };
  readonly records: readonly MbusRecordView[];
  readonly breakdown: readonly ByteSegment[];
}

export interface PrimaryScanView {
  readonly meters: readonly MbusMeterView[];
  readonly collisions: readonly number[];
  readonly cancelled: boolean;
}

export interface SecondaryScanView {
  readonly meters: readonly MbusMeterView[];
  readonly unresolved: readonly string[];
  readonly probes: number;
  readonly cancelled: boolean;
}

export interface MbusReadView {
  readonly telegrams: readonly TelegramView[];
}

/** A wireless meter heard by the stick (walk-by list). */
export interface HeardMeterView {
  readonly key: string;
  readonly meter: MbusMeterView;
  readonly count: number;
  readonly rssiDbm?: number;
  readonly lastSeen: string;
  readonly encrypted: boolean;
  readonly decrypted: boolean;
  readonly hasKey: boolean;
  readonly reason?: string;
  readonly lastTelegram: TelegramView;
}

export interface ScanProgressView {
  readonly kind: 'primary' | 'secondary';
  readonly done: number;
  readonly total: number;
  readonly found: number;
}

const hex8 = z.string().regex(/^[0-9A-Fa-f]{8}$/, '8 digits (0-9, A-F)');
const manufacturer = z.string().regex(/^[A-Za-z]{3}$/, 'three letters');

export const mbusScanPrimaryArgs = z
  .object({ from: z.number().int().min(0).max(250).default(0), to: z.number().int().min(0).max(250).default(250) })
  .strict()
  .refine((a) => a.from <= a.to, { message: 'the first address must not be above the last', path: ['to'] });

export const mbusReadArgs = z.union([z.object({ primary: z.number().int().min(0).max(250) }).strict(), z.object({ secondary: hex8 }).strict()]);

export const mbusSetPrimaryArgs = z
  .object({ target: z.union([z.number().int().min(0).max(250), hex8]), newAddress: z.number().int().min(0).max(250) })
  .strict();

export const mbusSetKeyArgs = z
  .object({
    manufacturer,
    id: hex8,
    version: z.number().int().min(0).max(255),
    deviceType: z.number().int().min(0).max(255),
    /** 32 hex digits; null removes the key. */
    key: z.union([z.string().regex(/^[0-9A-Fa-f]{32}$/, '32 hex digits (AES-128)'), z.null()]),
  })
  .strict();

export const mbusDecodeArgs = z
  .object({
    hex: z
      .string()
      .min(2)
      .max(2000)
      .regex(/^[0-9A-Fa-f\s]+$/, 'hex digits'),
    key: z
      .string()
      .regex(/^[0-9A-Fa-f]{32}$/, '32 hex digits (AES-128)')
      .optional(),
  })
  .strict();

export const mbusConnectArgs = z
  .object({
    /** Wired master: a serial port (level converter, 8E1) or tcp://host:port (gateway). */
    wired: z
      .object({ target: z.string().trim().min(1).max(300), baudRate: z.number().int().min(300).max(38400).optional() })
      .strict()
      .optional(),
    /** wM-Bus stick: a serial port or tcp://host:port (serial server). */
    wireless: z
      .object({ target: z.string().trim().min(1).max(300) })
      .strict()
      .optional(),
  })
  .strict();

export const mbusRequests = {
  'mbus:connect': request<MbusStatus>()(mbusConnectArgs),
  'mbus:status': request<MbusStatus>()(z.undefined()),
  'mbus:scanPrimary': request<PrimaryScanView>()(mbusScanPrimaryArgs),
  'mbus:scanSecondary': request<SecondaryScanView>()(z.undefined()),
  'mbus:cancelScan': request<boolean>()(z.undefined()),
  'mbus:read': request<MbusReadView>()(mbusReadArgs),
  'mbus:setPrimary': request<boolean>()(mbusSetPrimaryArgs),
  'mbus:heard': request<readonly HeardMeterView[]>()(z.undefined()),
  'mbus:setKey': request<HeardMeterView | null>()(mbusSetKeyArgs),
  'mbus:decode': request<TelegramView>()(mbusDecodeArgs),
};

export const mbusEvents = {
  'mbus:scanProgress': event<ScanProgressView>(),
  /** A wireless meter was heard (again). */
  'mbus:heard': event<HeardMeterView>(),
  /** Meters were dropped from the walk-by list (it keeps the most recently heard). */
  'mbus:heardDropped': event<HeardDroppedView>(),
};
