import { encodeRecords, type RecordSpec } from '../../common/encode-records';
import { encodeLinkHeader, encodeWirelessTelegram } from '../encode-wireless';
import type { MeterAddress } from '../../common/meter-address';

/** A radio meter in the training premises: what it is, how it protects its data, and what it measures. */
export interface VirtualRadioMeterSpec {
  readonly address: MeterAddress;
  readonly security: 0 | 5 | 7;
  /** AES-128 key as 32 hex digits (modes 5 and 7). */
  readonly key?: string;
  readonly records: (nowMs: number) => readonly RecordSpec[];
  /**
   * A manufacturer-specific application layer (CI 0xA0–0xB7) instead of OMS records: only the manufacturer's
   * software reads it, but a walk-by must still list the meter.
   */
  readonly manufacturerPayload?: { readonly ci: number; readonly bytes: (nowMs: number) => Uint8Array };
}

const EPOCH = Date.UTC(2026, 0, 1);
const minutes = (now: number): number => Math.max(0, Math.floor((now - EPOCH) / 60_000));
const stamp = (now: number): string => new Date(now).toISOString().slice(0, 16);

/**
 * Training radio meters: a plain heat meter, the OMS-annex gas meter in mode 5 (with the annex key), a mode 7
 * water meter, a plain water meter that shares the gas meter's id under another manufacturer — the case that
 * breaks receivers keying meters by id alone — and a heat cost allocator speaking a manufacturer-specific CI.
 */
export function defaultRadioMeters(): VirtualRadioMeterSpec[] {
  return [
    {
      address: { manufacturer: 'LUG', id: '20242024', version: 0x07, deviceType: 0x04 },
      security: 0,
      records: (now) => [
        { vif: [0x06], data: { type: 'int', bytes: 4, value: 4_100 + Math.floor(minutes(now) / 60) } },
        { vif: [0x14], data: { type: 'int', bytes: 4, value: 12_000 + Math.floor(minutes(now) / 10) } },
        { vif: [0x5b], data: { type: 'int', bytes: 1, value: 65 } },
        { vif: [0x5f], data: { type: 'int', bytes: 1, value: 40 } },
      ],
    },
    {
      address: { manufacturer: 'ELS', id: '12345678', version: 0x33, deviceType: 0x03 },
      security: 5,
      key: '0102030405060708090A0B0C0D0E0F11',
      records: (now) => [
        { vif: [0x14], data: { type: 'int', bytes: 4, value: 2_850_427 + minutes(now) } },
        { vif: [0x6d], data: { type: 'date-time', value: stamp(now) } },
        { vif: [0xfd, 0x17], data: { type: 'int', bytes: 1, value: 0 } },
      ],
    },
    {
      address: { manufacturer: 'KAM', id: '76543210', version: 0x1b, deviceType: 0x16 },
      security: 7,
      key: '000102030405060708090A0B0C0D0E0F',
      records: (now) => [
        { vif: [0x13], data: { type: 'int', bytes: 4, value: 406_000 + minutes(now) * 3 } },
        { vif: [0x6c], storage: 1, data: { type: 'date', value: '2025-12-31' } },
        { vif: [0x13], storage: 1, data: { type: 'int', bytes: 4, value: 390_000 } },
      ],
    },
    {
      address: { manufacturer: 'DME', id: '12345678', version: 0x01, deviceType: 0x07 },
      security: 0,
      records: (now) => [{ vif: [0x13], data: { type: 'bcd', digits: 8, value: 77_000 + minutes(now) } }],
    },
    {
      // A Techem-style heat cost allocator: its own CI 0xA2 layout, readable only by the manufacturer's software.
      address: { manufacturer: 'TCH', id: '55443322', version: 0x94, deviceType: 0x08 },
      security: 0,
      records: () => [],
      manufacturerPayload: { ci: 0xa2, bytes: (now) => Uint8Array.of(0x06, 0x9f, 0x27, minutes(now) & 0xff, 0x00, 0x20, 0x01, 0x00, 0x00, 0x5e, 0x0b) },
    },
  ];
}

/** Keeps the per-meter counters a real meter keeps (access number, mode 7 message counter). */
export class VirtualRadioMeter {
  readonly spec: VirtualRadioMeterSpec;
  #accessNumber: number;
  #messageCounter = 1000;
  readonly #key: Uint8Array | undefined;

  constructor(spec: VirtualRadioMeterSpec, seed = 0) {
    this.spec = spec;
    this.#accessNumber = seed & 0xff;
    this.#key = spec.key ? Uint8Array.from(Buffer.from(spec.key, 'hex')) : undefined;
  }

  /** The next telegram, bare (no DLL CRC), as a stick hands it over. */
  next(nowMs: number): Uint8Array {
    this.#accessNumber = (this.#accessNumber + 1) & 0xff;
    const own = this.spec.manufacturerPayload;
    if (own) return manufacturerTelegram(this.spec.address, own.ci, own.bytes(nowMs));
    const records = encodeRecords(this.spec.records(nowMs));
    const { security } = this.spec;
    return encodeWirelessTelegram({
      meter: this.spec.address,
      accessNumber: this.#accessNumber,
      records,
      security:
        security === 0 ? { mode: 0 } : security === 5 ? { mode: 5, key: this.#key! } : { mode: 7, key: this.#key!, messageCounter: ++this.#messageCounter },
    });
  }
}

/** L, C = SND_NR, M, A, then the manufacturer's CI and payload (no OMS transport layer). */
function manufacturerTelegram(address: MeterAddress, ci: number, payload: Uint8Array): Uint8Array {
  const body = Buffer.concat([encodeLinkHeader(address), Uint8Array.of(ci), payload]);
  return Buffer.concat([Uint8Array.of(body.length), body]);
}
