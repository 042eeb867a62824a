import type { DeviceLink } from '../../link/device-link';
import { type Logger, silentLogger } from '../../util/logger';
import { decodeWired } from './decode-wired';
import { toHex } from '../common/hex';
import { ALL_WILDCARD, idMask, maskBytes, maskText, type Nibbles } from './secondary-address';
import type { DataRecord, DecodedTelegram, TelegramHeader } from '../common/telegram';
import { ADDRESS_SELECTED, C_REQ_UD2, C_SND_NKE, C_SND_UD, encodeFrame, FCB, parseFrame, type WiredFrame } from './wired-frame';

export interface MbusMasterOptions {
  /** Line speed; sets the default timings (EN 13757-2). Default 2400. */
  readonly baudRate?: number;
  /** Wait for the first reply byte. Default 330 bit times + 50 ms, at least 300 ms (libmbus at 2400 Bd). */
  readonly timeoutMs?: number;
  /** Silence after which a partial reply is given up as garbled. Default 50 ms. */
  readonly idleMs?: number;
  /** After a complete frame, how long to listen for a second, colliding reply. Default 10 ms. */
  readonly settleMs?: number;
  /** Idle time before the next request: 33 bit times by default. */
  readonly interFrameDelayMs?: number;
  /** Retries after a timeout or a garbled reply when reading a meter. Default 2. */
  readonly retries?: number;
  /** Level converters that echo what we send: 'auto' strips an exact echo when present. Default 'auto'. */
  readonly echo?: 'auto' | 'on' | 'off';
  readonly log?: Logger;
}

/** What came back after one request. */
export type Reply =
  | { readonly kind: 'none' }
  | { readonly kind: 'frame'; readonly frame: WiredFrame; readonly bytes: Uint8Array }
  /** Checksum errors, stray bytes, or two frames overlapping: more than one slave answered. */
  | { readonly kind: 'garbled'; readonly bytes: Uint8Array; readonly reason: string };

export interface FoundSlave {
  readonly primary?: number;
  readonly header: TelegramHeader;
  /** The 16-nibble secondary address: id, manufacturer, version, medium. */
  readonly secondary: string;
}

export interface ScanProgress {
  readonly done: number;
  readonly total: number;
  readonly found: number;
  readonly current: string;
}

export interface PrimaryScanReport {
  readonly slaves: FoundSlave[];
  /** Primary addresses where more than one slave answered. */
  readonly collisions: number[];
  readonly cancelled: boolean;
}

export interface SecondaryScanReport {
  readonly slaves: FoundSlave[];
  /** Masks where slaves still collided with every nibble fixed (identical secondary addresses). */
  readonly unresolved: string[];
  readonly probes: number;
  readonly cancelled: boolean;
}

export interface ReadResult {
  readonly telegrams: DecodedTelegram[];
  /** Records of every telegram in order (multi-telegram reads are joined). */
  readonly records: DataRecord[];
  readonly frames: Uint8Array[];
}

export class MbusError extends Error {
  constructor(
    message: string,
    readonly reply?: Reply,
  ) {
    super(message);
    this.name = 'MbusError';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wired M-Bus master (EN 13757-2/-3) over any DeviceLink: serial level converter or TCP gateway. One request at a
 * time, as the bus allows; FCB kept per address; echo of our own bytes stripped.
 */
export class MbusMaster {
  readonly #link: DeviceLink;
  readonly #timeoutMs: number;
  readonly #idleMs: number;
  readonly #settleMs: number;
  readonly #interFrameMs: number;
  readonly #retries: number;
  readonly #echo: 'auto' | 'on' | 'off';
  readonly #log: Logger;
  readonly #nextFcb = new Map<number, boolean>();
  #lastActivity = 0;
  #busy: Promise<unknown> = Promise.resolve();

  constructor(link: DeviceLink, options: MbusMasterOptions = {}) {
    const baud = options.baudRate ?? 2400;
    this.#link = link;
    this.#timeoutMs = options.timeoutMs ?? Math.max(300, Math.ceil((330 * 1000) / baud + 50));
    // A gap of about three character times (11 bits each) ends a frame; never under 50 ms for USB/gateway jitter.
    this.#idleMs = options.idleMs ?? Math.max(50, Math.ceil((3 * 11 * 1000) / baud));
    this.#settleMs = options.settleMs ?? 10;
    this.#interFrameMs = options.interFrameDelayMs ?? Math.ceil((33 * 1000) / baud);
    this.#retries = options.retries ?? 2;
    this.#echo = options.echo ?? 'auto';
    this.#log = (options.log ?? silentLogger).child('mbus:master');
  }

  /** Sends one frame and collects the reply; serialised so callers cannot interleave on the bus. */
  exchange(frame: WiredFrame, expectReply = true): Promise<Reply> {
    const run = this.#busy.then(() => this.#exchangeNow(frame, expectReply));
    this.#busy = run.catch(() => undefined);
    return run;
  }

  async #exchangeNow(frame: WiredFrame, expectReply: boolean): Promise<Reply> {
    const wait = this.#lastActivity + this.#interFrameMs - Date.now();
    if (wait > 0) await sleep(wait);
    const sent = encodeFrame(frame);
    const reply = await new Promise<Reply>((resolve, reject) => {
      let buffer = Buffer.alloc(0);
      let echoLeft = this.#echo === 'off' ? 0 : sent.length;
      let echoPos = 0;
      let firstTimer: NodeJS.Timeout | undefined;
      let idleTimer: NodeJS.Timeout | undefined;
      let settleTimer: NodeJS.Timeout | undefined;
      const finish = (r: Reply): void => {
        clearTimeout(firstTimer);
        clearTimeout(idleTimer);
        clearTimeout(settleTimer);
        unsubscribe();
        unsubscribeClose();
        this.#lastActivity = Date.now();
        resolve(r);
      };
      const classify = (final: boolean): void => {
        if (buffer.length === 0) {
          if (final) finish({ kind: 'none' });
          return;
        }
        const parsed = parseFrame(buffer, 0);
        if (parsed.status === 'error') return finish({ kind: 'garbled', bytes: buffer, reason: parsed.error.reason });
        if (parsed.status === 'incomplete') {
          if (final) finish({ kind: 'garbled', bytes: buffer, reason: 'incomplete frame' });
          return;
        }
        if (parsed.length < buffer.length) {
          return finish({ kind: 'garbled', bytes: buffer, reason: `${buffer.length - parsed.length} bytes after a complete frame` });
        }
        if (final) return finish({ kind: 'frame', frame: parsed.frame, bytes: buffer });
        clearTimeout(settleTimer);
        settleTimer = setTimeout(() => classify(true), this.#settleMs);
      };
      const unsubscribe = this.#link.onData((chunk) => {
        let data = chunk;
        // Strip our own echo: bytes matching what we sent, in order, before any reply byte.
        while (echoLeft > 0 && data.length > 0) {
          if (data[0] === sent[echoPos]) {
            data = data.subarray(1);
            echoPos++;
            echoLeft--;
          } else {
            // Not an echo after all: the consumed prefix was reply data (only possible in 'auto').
            data = Buffer.concat([Buffer.from(sent.subarray(0, echoPos)), data]);
            echoLeft = 0;
          }
        }
        if (data.length === 0) return;
        clearTimeout(firstTimer);
        buffer = Buffer.concat([buffer, data]);
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => classify(true), this.#idleMs);
        classify(false);
      });
      const unsubscribeClose = this.#link.onClose((error) => {
        clearTimeout(firstTimer);
        clearTimeout(idleTimer);
        clearTimeout(settleTimer);
        unsubscribe();
        unsubscribeClose();
        reject(new MbusError(`link closed during exchange${error ? `: ${error.message}` : ''}`));
      });
      this.#log.debug('tx', { bytes: toHex(sent) });
      this.#link.write(sent).then(
        () => {
          if (!expectReply) return finish({ kind: 'none' });
          firstTimer = setTimeout(() => classify(true), this.#timeoutMs);
        },
        (error: unknown) => {
          unsubscribe();
          unsubscribeClose();
          reject(error);
        },
      );
    });
    if (reply.kind !== 'none') this.#log.debug('rx', { kind: reply.kind, bytes: toHex(reply.bytes) });
    return reply;
  }

  /** SND_NKE: resets the slave's link layer (and its FCB). 'garbled' means several slaves answered differently. */
  async ping(address: number): Promise<'ack' | 'none' | 'garbled'> {
    const reply = await this.exchange({ type: 'short', c: C_SND_NKE, a: address });
    this.#nextFcb.set(address, true);
    return reply.kind === 'none' ? 'none' : reply.kind === 'frame' && reply.frame.type === 'ack' ? 'ack' : 'garbled';
  }

  /** One REQ_UD2 with the address's current FCB; the FCB toggles only after a good reply. */
  async requestUserData(address: number): Promise<Reply> {
    const fcb = this.#nextFcb.get(address) ?? true;
    const reply = await this.exchange({ type: 'short', c: C_REQ_UD2 | (fcb ? FCB : 0), a: address });
    if (reply.kind === 'frame' && reply.frame.type === 'long') this.#nextFcb.set(address, !fcb);
    return reply;
  }

  /**
   * Reads a meter: REQ_UD2 with retries, repeated with a toggled FCB while the meter says more records follow
   * (DIF 0x1F). Address 253 reads the slave selected by secondary address.
   */
  async read(address: number, options: { maxTelegrams?: number; signal?: AbortSignal; restart?: boolean } = {}): Promise<ReadResult> {
    // A slave selected by secondary address keeps its FCB state from earlier reads; an application reset makes
    // it start again at its first telegram (SND_NKE would reset it too, but at 253 it deselects the slave).
    if (options.restart) await this.applicationReset(address);
    const telegrams: DecodedTelegram[] = [];
    const frames: Uint8Array[] = [];
    const max = options.maxTelegrams ?? 16;
    while (telegrams.length < max) {
      options.signal?.throwIfAborted();
      let reply: Reply = { kind: 'none' };
      for (let attempt = 0; attempt <= this.#retries; attempt++) {
        reply = await this.requestUserData(address);
        if (reply.kind === 'frame' && reply.frame.type === 'long') break;
      }
      if (reply.kind === 'none') throw new MbusError(`no reply from address ${address}`, reply);
      if (reply.kind === 'garbled') throw new MbusError(`garbled reply from address ${address} (collision?): ${reply.reason}`, reply);
      const decoded = decodeWired(reply.bytes);
      if (!decoded.ok) throw new MbusError(`address ${address}: ${decoded.error.reason} at byte offset ${decoded.error.offset}`, reply);
      telegrams.push(decoded.telegram);
      frames.push(reply.bytes);
      if (!decoded.telegram.moreRecordsFollow) break;
    }
    return { telegrams, frames, records: telegrams.flatMap((t) => t.records.filter((r) => r.function !== 'more-records-follow')) };
  }

  /** SND_UD with CI 0x50: the slave restarts its readout at the first telegram. */
  async applicationReset(address: number): Promise<void> {
    const reply = await this.exchange({ type: 'control', c: C_SND_UD, a: address, ci: 0x50 });
    if (reply.kind !== 'frame' || reply.frame.type !== 'ack')
      throw new MbusError(`application reset: no acknowledgement from address ${address} (${reply.kind})`, reply);
    this.#nextFcb.set(address, true);
  }

  /** SELECT (SND_UD to 253, CI 0x52) by mask; 'ack' may still hide several slaves that all acknowledged at once. */
  async select(mask: Nibbles): Promise<'ack' | 'none' | 'garbled'> {
    const reply = await this.exchange({ type: 'long', c: C_SND_UD, a: ADDRESS_SELECTED, ci: 0x52, data: maskBytes(mask) });
    this.#nextFcb.set(ADDRESS_SELECTED, true);
    return reply.kind === 'none' ? 'none' : reply.kind === 'frame' && reply.frame.type === 'ack' ? 'ack' : 'garbled';
  }

  /** Scans primary addresses (default 0–250): SND_NKE, then REQ_UD2 to tell one slave from a collision. */
  async scanPrimary(options: { from?: number; to?: number; signal?: AbortSignal; onProgress?: (p: ScanProgress) => void } = {}): Promise<PrimaryScanReport> {
    const from = options.from ?? 0;
    const to = options.to ?? 250;
    const slaves: FoundSlave[] = [];
    const collisions: number[] = [];
    for (let address = from; address <= to; address++) {
      if (options.signal?.aborted) return { slaves, collisions, cancelled: true };
      options.onProgress?.({ done: address - from, total: to - from + 1, found: slaves.length, current: String(address) });
      let answer = await this.ping(address);
      if (answer === 'none' && this.#retries > 0) answer = await this.ping(address);
      if (answer === 'none') continue;
      // Identical ACKs from two slaves overlay into one clean E5: only the data reply reveals a collision.
      const reply = await this.requestUserData(address);
      const decoded = reply.kind === 'frame' && reply.frame.type === 'long' ? decodeWired(reply.bytes) : undefined;
      if (answer === 'garbled' || reply.kind === 'garbled' || (decoded && !decoded.ok)) {
        collisions.push(address);
        this.#log.info('collision', { address });
        continue;
      }
      if (decoded?.ok && decoded.telegram.header) {
        slaves.push({ primary: address, header: decoded.telegram.header, secondary: secondaryOf(reply.kind === 'frame' ? reply.bytes : new Uint8Array()) });
      }
    }
    options.onProgress?.({ done: to - from + 1, total: to - from + 1, found: slaves.length, current: '' });
    return { slaves, collisions, cancelled: false };
  }

  /**
   * Wildcard search over secondary addresses (libmbus's algorithm without its flaw): every nibble tries 0–E, not
   * just 0–9, so ids with hex digits and the hexadecimal manufacturer/version/medium fields are found. F is the
   * wildcard itself, so a digit F can only be matched by it.
   */
  async scanSecondary(options: { signal?: AbortSignal; onProgress?: (p: ScanProgress) => void } = {}): Promise<SecondaryScanReport> {
    const found = new Map<string, FoundSlave>();
    const unresolved: string[] = [];
    let probes = 0;
    let cancelled = false;
    const probe = async (mask: Nibbles): Promise<'none' | 'one' | 'collision'> => {
      probes++;
      const ack = await this.select(mask);
      if (ack === 'none') return 'none';
      if (ack === 'garbled') return 'collision';
      const reply = await this.requestUserData(ADDRESS_SELECTED);
      if (reply.kind === 'none') return 'none';
      const decoded = reply.kind === 'frame' && reply.frame.type === 'long' ? decodeWired(reply.bytes) : undefined;
      if (!decoded?.ok || !decoded.telegram.header) return 'collision';
      const secondary = secondaryOf(reply.kind === 'frame' ? reply.bytes : new Uint8Array());
      if (!found.has(secondary)) {
        found.set(secondary, {
          header: decoded.telegram.header,
          secondary,
          ...(decoded.telegram.address !== undefined && decoded.telegram.address < 251 ? { primary: decoded.telegram.address } : {}),
        });
      }
      return 'one';
    };
    const search = async (mask: Nibbles, position: number, top: boolean): Promise<void> => {
      for (let digit = 0; digit <= 0xe; digit++) {
        if (options.signal?.aborted) {
          cancelled = true;
          return;
        }
        const next = [...mask];
        next[position] = digit;
        if (top) options.onProgress?.({ done: digit, total: 15, found: found.size, current: maskText(next) });
        const result = await probe(next);
        if (result === 'collision') {
          if (position === 15) unresolved.push(maskText(next));
          else await search(next, position + 1, false);
        }
      }
    };
    const first = await probe(ALL_WILDCARD);
    if (first === 'collision') await search(ALL_WILDCARD, 0, true);
    // Leave no slave selected.
    await this.exchange({ type: 'short', c: C_SND_NKE, a: ADDRESS_SELECTED });
    options.onProgress?.({ done: 15, total: 15, found: found.size, current: '' });
    return { slaves: [...found.values()], unresolved, probes, cancelled };
  }

  /** Sets a slave's primary address (SND_UD, CI 0x51, DIF 01 VIF 7A), addressed by primary or by secondary id. */
  async setPrimaryAddress(target: number | string, newAddress: number): Promise<void> {
    if (!Number.isInteger(newAddress) || newAddress < 0 || newAddress > 250) throw new RangeError('primary address must be 0–250');
    let address: number;
    if (typeof target === 'string') {
      const ack = await this.select(idMask(target));
      if (ack !== 'ack') throw new MbusError(`secondary address ${target}: ${ack === 'none' ? 'no slave' : 'collision'}`);
      address = ADDRESS_SELECTED;
    } else {
      address = target;
    }
    const reply = await this.exchange({ type: 'long', c: C_SND_UD, a: address, ci: 0x51, data: Uint8Array.of(0x01, 0x7a, newAddress) });
    if (reply.kind !== 'frame' || reply.frame.type !== 'ack') throw new MbusError(`set primary address: no acknowledgement (${reply.kind})`, reply);
    this.#nextFcb.delete(newAddress);
  }
}

/** The secondary address (id, manufacturer, version, medium) of a RSP_UD frame as 16 printed nibbles. */
function secondaryOf(frame: Uint8Array): string {
  if (frame.length < 15) return '';
  const h = 7;
  const id = toHex(Uint8Array.of(frame[h + 3]!, frame[h + 2]!, frame[h + 1]!, frame[h]!));
  return id + toHex(Uint8Array.of(frame[h + 5]!, frame[h + 4]!, frame[h + 6]!, frame[h + 7]!));
}
