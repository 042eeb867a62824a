/**
 * UNPI framing as TI's Z-Stack NPI uses it over UART/TCP (MT over UNPI):
 * SOF 0xFE | LEN (data bytes) | CMD0 (type << 5 | subsystem) | CMD1 (command id) | DATA… | FCS (xor of LEN..DATA).
 */
export const SOF = 0xfe;
export const MAX_DATA = 250;

export enum MtType {
  POLL = 0,
  SREQ = 1,
  AREQ = 2,
  SRSP = 3,
}

export enum MtSubsystem {
  RES0 = 0,
  SYS = 1,
  MAC = 2,
  NWK = 3,
  AF = 4,
  ZDO = 5,
  SAPI = 6,
  UTIL = 7,
  DEBUG = 8,
  APP = 9,
  APP_CNF = 15,
  GREENPOWER = 21,
}

export interface MtFrame {
  readonly type: MtType;
  readonly subsystem: number;
  readonly command: number;
  readonly data: Buffer;
}

function fcs(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

export function encodeFrame(frame: MtFrame): Buffer {
  if (frame.data.length > MAX_DATA) throw new RangeError(`UNPI data too long (${frame.data.length} > ${MAX_DATA})`);
  const out = Buffer.alloc(frame.data.length + 5);
  out[0] = SOF;
  out[1] = frame.data.length;
  out[2] = ((frame.type & 0x07) << 5) | (frame.subsystem & 0x1f);
  out[3] = frame.command;
  frame.data.copy(out, 4);
  out[out.length - 1] = fcs(out.subarray(1, out.length - 1));
  return out;
}

export interface ParserEvents {
  frame(frame: MtFrame): void;
  /** Bytes dropped while resynchronising or a frame with a bad FCS. */
  garbage(bytes: Buffer, reason: 'no-sof' | 'bad-fcs' | 'too-long'): void;
}

/**
 * Incremental parser: accepts arbitrary chunks, skips bytes until SOF, drops frames whose FCS does not match
 * (resynchronising on the next SOF after the bad frame's SOF), and never throws on malformed input.
 */
export class UnpiParser {
  #buffer: Buffer = Buffer.alloc(0);
  readonly #events: ParserEvents;

  constructor(events: ParserEvents) {
    this.#events = events;
  }

  push(chunk: Buffer): void {
    // Always copy: a reader may reuse its buffer for the next read, and a split frame waits here between pushes.
    this.#buffer = this.#buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const start = this.#buffer.indexOf(SOF);
      if (start < 0) {
        if (this.#buffer.length > 0) this.#events.garbage(this.#buffer, 'no-sof');
        this.#buffer = Buffer.alloc(0);
        return;
      }
      if (start > 0) {
        this.#events.garbage(this.#buffer.subarray(0, start), 'no-sof');
        this.#buffer = this.#buffer.subarray(start);
      }
      if (this.#buffer.length < 5) return;
      const length = this.#buffer[1]!;
      if (length > MAX_DATA) {
        // LEN 251–255 is no UNPI frame (the encoder refuses it too): this SOF was a data byte; resynchronise.
        this.#events.garbage(this.#buffer.subarray(0, 2), 'too-long');
        this.#buffer = this.#buffer.subarray(1);
        continue;
      }
      const total = length + 5;
      if (this.#buffer.length < total) return;
      const candidate = this.#buffer.subarray(0, total);
      if (fcs(candidate.subarray(1, total - 1)) !== candidate[total - 1]) {
        // Skip only this SOF: a genuine frame may start inside what looked like a frame.
        this.#events.garbage(candidate, 'bad-fcs');
        this.#buffer = this.#buffer.subarray(1);
        continue;
      }
      this.#buffer = this.#buffer.subarray(total);
      this.#events.frame({
        type: (candidate[2]! >> 5) & 0x07,
        subsystem: candidate[2]! & 0x1f,
        command: candidate[3]!,
        data: Buffer.from(candidate.subarray(4, total - 1)),
      });
    }
  }
}
