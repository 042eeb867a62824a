// Same CRC-16/X-25 as ZigBee install codes use.
import { installCodeCrc as crc16X25 } from '../../../../src-shared/model/install-code-crc';
import type { DeviceLink } from '../../../link/device-link';
import { ListenerSet } from '../../../link/listeners';
import { type ReceivedTelegram, StickError, waitFor, type WmbusMode, type WmbusStick } from './stick';

/**
 * IMST iM871A / iM170A HCI (57600 8N1): `A5 · flags|endpoint · msgID · len · payload · [ts 4][RSSI 1][CRC 2]`.
 * Flags in the high nibble: 0x2 timestamp, 0x4 RSSI, 0x8 CRC; the CRC is CRC-16-CCITT complemented over
 * everything after A5, low byte first.
 */
export const HCI = {
  SOF: 0xa5,
  DEVMGMT: 1,
  RADIOLINK: 2,
  RADIOLINKTEST: 3,
  HWTEST: 4,
  PING_REQ: 0x01,
  PING_RSP: 0x02,
  SET_CONFIG_REQ: 0x03,
  SET_CONFIG_RSP: 0x04,
  RESET_REQ: 0x07,
  GET_DEVICEINFO_REQ: 0x0f,
  GET_DEVICEINFO_RSP: 0x10,
  WMBUSMSG_IND: 0x03,
  FLAG_TIMESTAMP: 0x2,
  FLAG_RSSI: 0x4,
  FLAG_CRC: 0x8,
} as const;

/** iM871A link mode numbers (S1 0, S1m 1, S2 2, T1 3, T2 4, R2 5, C1a 6, C1b 7). */
export const IMST_MODES: Record<WmbusMode, number> = { S1: 0, T1: 3, C1: 6 };

export interface HciFrame {
  readonly endpoint: number;
  readonly flags: number;
  readonly msgId: number;
  readonly payload: Uint8Array;
  readonly timestamp?: number;
  readonly rssi?: number;
}

/** The HCI frame CRC (CRC-16/X-25), for probes that check answers byte by byte. */
export function crc16X25Of(bytes: Uint8Array): number {
  return crc16X25(bytes);
}

export function encodeHci(endpoint: number, msgId: number, payload: Uint8Array = new Uint8Array(0), flags: number = HCI.FLAG_CRC): Uint8Array {
  const body = Buffer.concat([Uint8Array.of((flags << 4) | endpoint, msgId, payload.length), payload]);
  const withCrc = flags & HCI.FLAG_CRC;
  const out = new Uint8Array(1 + body.length + (withCrc ? 2 : 0));
  out[0] = HCI.SOF;
  out.set(body, 1);
  if (withCrc) {
    const crc = crc16X25(body);
    out[out.length - 2] = crc & 0xff;
    out[out.length - 1] = crc >> 8;
  }
  return out;
}

/** Streaming HCI parser with resync on A5 and CRC check when the frame carries one. */
export class HciParser {
  #buffer = Buffer.alloc(0);
  badCrcs = 0;

  push(chunk: Uint8Array): HciFrame[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const frames: HciFrame[] = [];
    for (;;) {
      const start = this.#buffer.indexOf(HCI.SOF);
      if (start < 0) {
        this.#buffer = Buffer.alloc(0);
        break;
      }
      if (start > 0) this.#buffer = this.#buffer.subarray(start);
      if (this.#buffer.length < 4) break;
      const flags = this.#buffer[1]! >> 4;
      const len = this.#buffer[3]!;
      const extra = (flags & HCI.FLAG_TIMESTAMP ? 4 : 0) + (flags & HCI.FLAG_RSSI ? 1 : 0);
      const total = 4 + len + extra + (flags & HCI.FLAG_CRC ? 2 : 0);
      if (this.#buffer.length < total) break;
      if (flags & HCI.FLAG_CRC) {
        const crc = crc16X25(this.#buffer.subarray(1, total - 2));
        if (crc !== (this.#buffer[total - 2]! | (this.#buffer[total - 1]! << 8))) {
          this.badCrcs++;
          this.#buffer = this.#buffer.subarray(1);
          continue;
        }
      }
      let p = 4 + len;
      let timestamp: number | undefined;
      let rssi: number | undefined;
      if (flags & HCI.FLAG_TIMESTAMP) {
        timestamp = this.#buffer.readUInt32LE(p);
        p += 4;
      }
      if (flags & HCI.FLAG_RSSI) rssi = this.#buffer[p]!;
      frames.push({
        endpoint: this.#buffer[1]! & 0x0f,
        flags,
        msgId: this.#buffer[2]!,
        payload: Uint8Array.from(this.#buffer.subarray(4, 4 + len)),
        ...(timestamp !== undefined ? { timestamp } : {}),
        ...(rssi !== undefined ? { rssi } : {}),
      });
      this.#buffer = this.#buffer.subarray(total);
    }
    return frames;
  }
}

export class Im871aStick implements WmbusStick {
  readonly kind = 'imst' as const;
  model = 'iM871A';
  readonly #link: DeviceLink;
  readonly #parser = new HciParser();
  readonly #frames = new ListenerSet<[HciFrame]>();
  readonly #telegrams = new ListenerSet<[ReceivedTelegram]>();
  readonly #timeoutMs: number;
  readonly #unsubscribe: () => void;

  constructor(link: DeviceLink, options: { timeoutMs?: number } = {}) {
    this.#link = link;
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#unsubscribe = link.onData((chunk) => {
      for (const frame of this.#parser.push(chunk)) {
        if (frame.endpoint === HCI.RADIOLINK && frame.msgId === HCI.WMBUSMSG_IND) this.#indication(frame);
        else this.#frames.emit(frame);
      }
    });
  }

  /** WMBUSMSG_IND starts at the C-field: the L-field is rebuilt so the decoder sees a normal telegram. */
  #indication(frame: HciFrame): void {
    if (frame.payload.length < 10) return;
    const bytes = new Uint8Array(frame.payload.length + 1);
    bytes[0] = frame.payload.length;
    bytes.set(frame.payload, 1);
    // The raw RSSI is reported as is; the module's dBm calibration differs per band.
    this.#telegrams.emit({ bytes, receivedAt: Date.now() });
  }

  async request(endpoint: number, msgId: number, payload?: Uint8Array): Promise<HciFrame> {
    const reply = waitFor<HciFrame>(
      (l) => this.#frames.add(l),
      (f) => f.endpoint === endpoint && f.msgId === msgId + 1,
      this.#timeoutMs,
      `iM871A message 0x${msgId.toString(16)}`,
    );
    await this.#link.write(encodeHci(endpoint, msgId, payload));
    return reply;
  }

  /** Active probe: PING, then GET_DEVICEINFO for the module type (0x33 iM871A, 0x36 iM170A). */
  async probe(): Promise<string | undefined> {
    try {
      await this.request(HCI.DEVMGMT, HCI.PING_REQ);
      const info = await this.request(HCI.DEVMGMT, HCI.GET_DEVICEINFO_REQ);
      this.model = info.payload[0] === 0x36 ? 'iM170A' : 'iM871A';
      return this.model;
    } catch {
      return undefined;
    }
  }

  async setMode(mode: WmbusMode): Promise<void> {
    // Volatile config: IIFlag1 = link mode only; IIFlag2 = attach RX timestamp and RSSI.
    const payload = Uint8Array.of(0x00, 0x02, IMST_MODES[mode], 0x30, 0x01, 0x01);
    const reply = await this.request(HCI.DEVMGMT, HCI.SET_CONFIG_REQ, payload);
    if (reply.payload[0] !== 0) throw new StickError(`iM871A SET_CONFIG ${mode} failed (status ${reply.payload[0]})`);
  }

  onTelegram(listener: (telegram: ReceivedTelegram) => void): () => void {
    return this.#telegrams.add(listener);
  }

  /** Stops listening on the link without closing it (after a failed probe the link goes to the next candidate). */
  detach(): void {
    this.#unsubscribe();
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    await this.#link.close();
  }
}
