import { encodeLongHeader, encodeRecords, type LongHeader, type RecordSpec } from '../../common/encode-records';
import { matchesMask } from '../secondary-address';
import { ACK, ADDRESS_BROADCAST, ADDRESS_BROADCAST_REPLY, ADDRESS_SELECTED, encodeFrame, FCB, type WiredFrame } from '../wired-frame';

/** One virtual slave's identity and data; each telegram is a list of records (more than one = multi-telegram). */
export interface VirtualSlaveSpec {
  readonly primary: number;
  readonly id: string;
  readonly manufacturer: string;
  readonly version: number;
  readonly medium: number;
  /** Telegrams in read order; their values are functions of time so readings move like a real meter's. */
  readonly telegrams: readonly ((nowMs: number) => readonly RecordSpec[])[];
}

/**
 * A wired M-Bus slave's link and application layer: SND_NKE, REQ_UD2 with FCB (repeat on an unchanged FCB,
 * next telegram on a toggled one), secondary SELECT with nibble wildcards, set primary address (CI 0x51, VIF 7A).
 */
export class VirtualSlave {
  readonly spec: VirtualSlaveSpec;
  primary: number;
  #selected = false;
  #lastFcb: boolean | undefined;
  #index = 0;
  #lastReply: Uint8Array | undefined;
  #accessNumber = 0;
  readonly #now: () => number;

  constructor(spec: VirtualSlaveSpec, now: () => number = Date.now) {
    this.spec = spec;
    this.primary = spec.primary;
    this.#now = now;
  }

  get selected(): boolean {
    return this.#selected;
  }

  /** The first 8 header bytes, as a SELECT mask compares them. */
  secondaryBytes(): Uint8Array {
    return encodeLongHeader(this.#header()).subarray(0, 8);
  }

  #header(): LongHeader {
    const { id, manufacturer, version, medium } = this.spec;
    return { id, manufacturer, version, medium, accessNumber: this.#accessNumber, status: 0 };
  }

  #addressed(a: number): boolean {
    return a === this.primary || a === ADDRESS_BROADCAST || a === ADDRESS_BROADCAST_REPLY || (a === ADDRESS_SELECTED && this.#selected);
  }

  /** Handles one frame from the master; returns the reply bytes, or undefined to stay silent. */
  handle(frame: WiredFrame): Uint8Array | undefined {
    if (frame.type === 'ack') return undefined;
    const silent = frame.a === ADDRESS_BROADCAST;
    if (frame.type === 'short') {
      const fn = frame.c & 0x4f;
      if (fn === 0x40 && this.#addressed(frame.a)) {
        this.#lastFcb = undefined;
        this.#index = 0;
        if (frame.a === ADDRESS_SELECTED) this.#selected = false;
        return silent ? undefined : Uint8Array.of(ACK);
      }
      if (fn === 0x4b && this.#addressed(frame.a) && !silent) return this.#respond((frame.c & 0x10) !== 0, (frame.c & FCB) !== 0);
      return undefined;
    }
    if (frame.type === 'long' && frame.ci === 0x52 && frame.a === ADDRESS_SELECTED && frame.data.length === 8) {
      this.#selected = matchesMask(this.secondaryBytes(), frame.data);
      return this.#selected ? Uint8Array.of(ACK) : undefined;
    }
    if (frame.type === 'long' && frame.ci === 0x56 && frame.a === ADDRESS_SELECTED) {
      this.#selected = false;
      return undefined;
    }
    if (!this.#addressed(frame.a)) return undefined;
    if (frame.type === 'long' && frame.ci === 0x51) {
      const d = frame.data;
      if (d.length === 3 && d[0] === 0x01 && d[1] === 0x7a && d[2]! <= 250) this.primary = d[2]!;
      return silent ? undefined : Uint8Array.of(ACK);
    }
    if (frame.ci === 0x50) {
      // Application reset: start the readout again at the first telegram, with a fresh FCB state.
      this.#index = 0;
      this.#lastFcb = undefined;
      this.#lastReply = undefined;
      return silent ? undefined : Uint8Array.of(ACK);
    }
    return undefined;
  }

  #respond(fcv: boolean, fcb: boolean): Uint8Array {
    // FCV set and FCB unchanged: the master did not get our last reply, so repeat it.
    if (fcv && this.#lastReply && this.#lastFcb === fcb) return this.#lastReply;
    if (fcv && this.#lastFcb !== undefined && this.#lastReply) this.#index = (this.#index + 1) % this.spec.telegrams.length;
    if (fcv) this.#lastFcb = fcb;
    this.#accessNumber = (this.#accessNumber + 1) & 0xff;
    const telegram = this.spec.telegrams[this.#index]!;
    const more = this.#index < this.spec.telegrams.length - 1;
    const records = encodeRecords(telegram(this.#now()), { moreRecordsFollow: more });
    const data = Buffer.concat([encodeLongHeader(this.#header()), records]);
    const reply = encodeFrame({ type: 'long', c: 0x08, a: this.primary, ci: 0x72, data });
    this.#lastReply = reply;
    return reply;
  }
}
