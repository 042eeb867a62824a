import { connect, type Socket } from 'node:net';
import { encodeFrame, MtType, UnpiParser, type MtFrame, type MtSubsystem } from './unpi';

/** A raw MT host for tests: writes frames over TCP and waits for the next frame matching a predicate. */
export class MtClient {
  readonly frames: MtFrame[] = [];
  #waiters: { match: (f: MtFrame) => boolean; resolve: (f: MtFrame) => void }[] = [];

  constructor(readonly socket: Socket) {
    const parser = new UnpiParser({
      frame: (f) => {
        const waiter = this.#waiters.find((w) => w.match(f));
        if (waiter) {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          waiter.resolve(f);
        } else this.frames.push(f);
      },
      garbage: () => undefined,
    });
    socket.on('data', (chunk) => parser.push(chunk));
  }

  static async open(port: number): Promise<MtClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.setNoDelay(true);
    return new MtClient(socket);
  }

  next(match: (f: MtFrame) => boolean): Promise<MtFrame> {
    const i = this.frames.findIndex(match);
    if (i >= 0) return Promise.resolve(this.frames.splice(i, 1)[0]!);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** The next AREQ of a subsystem and command. */
  areq(subsystem: MtSubsystem, command: number, match: (data: Buffer) => boolean = () => true): Promise<MtFrame> {
    return this.next((f) => f.type === MtType.AREQ && f.subsystem === subsystem && f.command === command && match(f.data));
  }

  /** Sends an SREQ and resolves with its SRSP (or the RPC error on RES0). */
  sreq(subsystem: MtSubsystem, command: number, data: number[] | Buffer = []): Promise<MtFrame> {
    this.socket.write(encodeFrame({ type: MtType.SREQ, subsystem, command, data: Buffer.from(data) }));
    return this.next((f) => f.type === MtType.SRSP);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** An EUI-64 as 16 hex digits → the 8 bytes MT sends (little-endian). */
export const ieeeBytes = (eui64: string): number[] => [...Buffer.from(eui64, 'hex').reverse()];

/**
 * A frame as hex ("FE 00 21 01 20") written raw to the socket; resolves with the next SRSP re-encoded as hex, so a
 * test compares whole frames byte for byte (SOF, LEN, CMD0, CMD1, data, FCS).
 */
export async function exchangeHex(client: MtClient, requestHex: string): Promise<string> {
  client.socket.write(Buffer.from(requestHex.replace(/\s+/g, ''), 'hex'));
  const frame = await client.next((f) => f.type === MtType.SRSP);
  return hex(encodeFrame(frame));
}

/** Upper-case hex with a space between bytes, as TI's MT documentation prints frames. */
export const hex = (bytes: Buffer): string => [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
