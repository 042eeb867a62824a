import type { DeviceLink } from '../../../link/device-link';
import { ListenerSet } from '../../../link/listeners';
import { type ReceivedTelegram, StickError, waitFor, type WmbusMode, type WmbusStick } from './stick';

/**
 * Amber AMB8465-M / AMB3665 host protocol (9600 8N1): `FF CMD LEN payload CS`, CS = XOR of every byte before it
 * including FF; confirmations carry CMD | 0x80. DATA_IND (0x03) carries a telegram from L without DLL CRCs plus
 * one RSSI byte when RSSI output is enabled.
 */
export const AMBER = {
  DATA_REQ: 0x00,
  DATA_IND: 0x03,
  SET_MODE: 0x04,
  RESET: 0x05,
  SET: 0x09,
  GET: 0x0a,
  SERIALNO: 0x0b,
  FWV: 0x0c,
  RSSI: 0x0d,
} as const;

/** Collector-side receive modes (the meter-side S1/T1/C1 values are for transmitters). */
export const AMBER_MODES: Record<WmbusMode, number> = { S1: 0x03, T1: 0x08, C1: 0x0e };

/** Parameter memory addresses written at start-up: command output on the UART, RSSI appended. */
export const AMBER_PARAM_CMD_OUT = 0x05;
export const AMBER_PARAM_RSSI_ENABLE = 0x45;

export interface AmberFrame {
  readonly cmd: number;
  readonly payload: Uint8Array;
}

export function encodeAmber(cmd: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(payload.length + 4);
  out[0] = 0xff;
  out[1] = cmd;
  out[2] = payload.length;
  out.set(payload, 3);
  let cs = 0;
  for (let i = 0; i < out.length - 1; i++) cs ^= out[i]!;
  out[out.length - 1] = cs;
  return out;
}

/** Streaming parser: buffers chunks, resyncs on FF, drops frames with a bad checksum. */
export class AmberParser {
  #buffer = Buffer.alloc(0);
  badChecksums = 0;

  push(chunk: Uint8Array): AmberFrame[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const frames: AmberFrame[] = [];
    for (;;) {
      const start = this.#buffer.indexOf(0xff);
      if (start < 0) {
        this.#buffer = Buffer.alloc(0);
        break;
      }
      if (start > 0) this.#buffer = this.#buffer.subarray(start);
      if (this.#buffer.length < 4) break;
      const len = this.#buffer[2]!;
      if (this.#buffer.length < len + 4) break;
      let cs = 0;
      for (let i = 0; i < len + 3; i++) cs ^= this.#buffer[i]!;
      if (cs !== this.#buffer[len + 3]) {
        this.badChecksums++;
        this.#buffer = this.#buffer.subarray(1);
        continue;
      }
      frames.push({ cmd: this.#buffer[1]!, payload: Uint8Array.from(this.#buffer.subarray(3, 3 + len)) });
      this.#buffer = this.#buffer.subarray(len + 4);
    }
    return frames;
  }
}

/** Amber RSSI byte to dBm (AMB8465 manual): two's complement, half-dB steps, offset −74 dBm. */
export function amberRssiDbm(raw: number): number {
  return (raw >= 128 ? raw - 256 : raw) / 2 - 74;
}

export function amberRssiRaw(dbm: number): number {
  return Math.round((dbm + 74) * 2) & 0xff;
}

export class AmberStick implements WmbusStick {
  readonly kind = 'amber' as const;
  model = 'Amber';
  readonly #link: DeviceLink;
  readonly #parser = new AmberParser();
  readonly #frames = new ListenerSet<[AmberFrame]>();
  readonly #telegrams = new ListenerSet<[ReceivedTelegram]>();
  readonly #timeoutMs: number;
  #rssiEnabled = true;
  readonly #unsubscribe: () => void;

  constructor(link: DeviceLink, options: { timeoutMs?: number } = {}) {
    this.#link = link;
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#unsubscribe = link.onData((chunk) => {
      for (const frame of this.#parser.push(chunk)) {
        if (frame.cmd === AMBER.DATA_IND) this.#indication(frame.payload);
        else this.#frames.emit(frame);
      }
    });
  }

  #indication(payload: Uint8Array): void {
    if (payload.length < 11) return;
    // With RSSI enabled the last byte is the RSSI, and the L-field does not count it.
    const hasRssi = this.#rssiEnabled && payload.length === payload[0]! + 2;
    const bytes = hasRssi ? payload.subarray(0, payload.length - 1) : payload;
    this.#telegrams.emit({ bytes, ...(hasRssi ? { rssiDbm: amberRssiDbm(payload[payload.length - 1]!) } : {}), receivedAt: Date.now() });
  }

  async command(cmd: number, payload?: Uint8Array): Promise<AmberFrame> {
    const reply = waitFor<AmberFrame>(
      (l) => this.#frames.add(l),
      (f) => f.cmd === (cmd | 0x80),
      this.#timeoutMs,
      `Amber command 0x${cmd.toString(16)}`,
    );
    await this.#link.write(encodeAmber(cmd, payload));
    return reply;
  }

  /** Active probe (`FF 0A 02 00 80 77`): the reply length tells AMB8465 (0x7A) from AMB3665 (0x82). */
  async probe(): Promise<string | undefined> {
    try {
      const reply = await this.command(AMBER.GET, Uint8Array.of(0x00, 0x80));
      this.model = reply.payload.length === 0x7a ? 'AMB8465' : reply.payload.length === 0x82 ? 'AMB3665' : 'Amber';
      return this.model;
    } catch {
      return undefined;
    }
  }

  async #set(address: number, value: number): Promise<void> {
    const reply = await this.command(AMBER.SET, Uint8Array.of(address, 1, value));
    if (reply.payload[0] !== 0) throw new StickError(`Amber SET 0x${address.toString(16)} failed (status ${reply.payload[0]})`);
  }

  /**
   * Enables command output and RSSI, then selects the collector mode. SET writes the module's non-volatile
   * memory, so the parameters are read first and only written when they differ.
   */
  async initialise(mode: WmbusMode): Promise<void> {
    const reply = await this.command(AMBER.GET, Uint8Array.of(0x00, 0x80));
    const params = reply.payload.subarray(2);
    if (params[AMBER_PARAM_CMD_OUT] !== 1) await this.#set(AMBER_PARAM_CMD_OUT, 1);
    if (params[AMBER_PARAM_RSSI_ENABLE] !== 1) await this.#set(AMBER_PARAM_RSSI_ENABLE, 1);
    this.#rssiEnabled = true;
    await this.setMode(mode);
  }

  async setMode(mode: WmbusMode): Promise<void> {
    const reply = await this.command(AMBER.SET_MODE, Uint8Array.of(AMBER_MODES[mode]));
    if (reply.payload[0] !== 0) throw new StickError(`Amber SET_MODE ${mode} failed (status ${reply.payload[0]})`);
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
