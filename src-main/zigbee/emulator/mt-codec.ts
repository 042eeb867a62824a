/** Little-endian field codecs shared by the MT subsystem handlers, and the Z-Stack status codes they answer with. */

export const Status = {
  SUCCESS: 0x00,
  FAILURE: 0x01,
  INVALID_PARAMETER: 0x02,
  NV_ITEM_UNINIT: 0x09,
  NV_OPER_FAILED: 0x0a,
  NV_BAD_ITEM_LEN: 0x0c,
  ZDP_NOT_SUPPORTED: 0x84,
  ZDP_NO_ENTRY: 0x88,
  AF_DUPLICATE_ENDPOINT: 0xb8,
  NWK_INVALID_REQUEST: 0xc2,
  NWK_NO_ROUTE: 0xcd,
  MAC_NO_ACK: 0xe9,
  MAC_TRANSACTION_EXPIRED: 0xf0,
} as const;

/** Reads an MT frame's data; a read past the end throws, which the dispatcher answers with MT_RPC_ERR_LENGTH. */
export class Reader {
  #offset = 0;
  constructor(readonly data: Buffer) {}
  #need(n: number): void {
    if (this.#offset + n > this.data.length) throw new RangeError('frame too short');
  }
  get remaining(): number {
    return this.data.length - this.#offset;
  }
  u8(): number {
    this.#need(1);
    return this.data[this.#offset++]!;
  }
  u16(): number {
    this.#need(2);
    const v = this.data.readUInt16LE(this.#offset);
    this.#offset += 2;
    return v;
  }
  u32(): number {
    this.#need(4);
    const v = this.data.readUInt32LE(this.#offset);
    this.#offset += 4;
    return v;
  }
  /** An IEEE address sent little-endian, returned as 16 upper-case hex digits. */
  ieee(): string {
    return Buffer.from(this.bytes(8)).reverse().toString('hex').toUpperCase();
  }
  bytes(n: number): Buffer {
    this.#need(n);
    const v = this.data.subarray(this.#offset, this.#offset + n);
    this.#offset += n;
    return v;
  }
  rest(): Buffer {
    const v = this.data.subarray(this.#offset);
    this.#offset = this.data.length;
    return v;
  }
}

export const u8 = (v: number): Buffer => Buffer.from([v & 0xff]);
export const u16 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v & 0xffff);
  return b;
};
export const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
/** 16 hex digits (most significant first) → the 8 bytes Z-Stack sends (little-endian). */
export const ieeeLe = (hex: string): Buffer => Buffer.from(hex.padStart(16, '0'), 'hex').reverse();
export const ieeeFromLe = (bytes: Buffer): string => Buffer.from(bytes).reverse().toString('hex').toUpperCase();

/** ZigBee channels set in a 32-bit channel mask, ascending. */
export const channelsOf = (mask: number): number[] => Array.from({ length: 16 }, (_, i) => 11 + i).filter((c) => (mask >>> 0) & (1 << c));
