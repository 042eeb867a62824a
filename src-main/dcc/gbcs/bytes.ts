/**
 * A bounds-checked reader over one GBCS message. Every layer reads through it, so malformed input always ends
 * in a `GbcsFormatError` that names what was expected and the byte offset (from the start of the whole message)
 * where it went wrong — never a RangeError or a silently short field.
 */
export class GbcsFormatError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at byte ${offset}`);
    this.name = 'GbcsFormatError';
  }
}

export class ByteReader {
  private position: number;

  /** `start`/`end` bound this reader inside `bytes`; offsets stay relative to the whole message. */
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.position = start;
  }

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.end - this.position;
  }

  fail(reason: string, offset = this.position): never {
    throw new GbcsFormatError(reason, offset);
  }

  private need(count: number, what: string): void {
    if (count < 0 || this.position + count > this.end) this.fail(`${what}: needs ${count} byte(s), ${this.remaining} left`);
  }

  peek(ahead = 0): number | undefined {
    return this.position + ahead < this.end ? this.bytes[this.position + ahead] : undefined;
  }

  u8(what = 'byte'): number {
    this.need(1, what);
    return this.bytes[this.position++]!;
  }

  u16(what = 'uint16'): number {
    this.need(2, what);
    const value = (this.bytes[this.position]! << 8) | this.bytes[this.position + 1]!;
    this.position += 2;
    return value;
  }

  u16le(what = 'uint16'): number {
    this.need(2, what);
    const value = this.bytes[this.position]! | (this.bytes[this.position + 1]! << 8);
    this.position += 2;
    return value;
  }

  take(count: number, what = 'field'): Uint8Array {
    this.need(count, what);
    const slice = this.bytes.subarray(this.position, this.position + count);
    this.position += count;
    return slice;
  }

  /** A reader over the next `count` bytes; this reader moves past them. */
  sub(count: number, what = 'field'): ByteReader {
    this.need(count, what);
    const reader = new ByteReader(this.bytes, this.position, this.position + count);
    this.position += count;
    return reader;
  }

  /** BER definite length (X.690 8.1.3): short form, or 0x81/0x82/0x83 long form. Indefinite is not GBCS. */
  berLength(what = 'length'): number {
    const start = this.position;
    const first = this.u8(what);
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 3) this.fail(`${what}: unsupported BER length form 0x${first.toString(16)}`, start);
    let length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + this.u8(what);
    return length;
  }

  /** A-XDR length (DLMS Green Book): the same encoding as BER definite lengths. */
  axdrLength(what = 'length'): number {
    return this.berLength(what);
  }

  expectEnd(what: string): void {
    if (this.position !== this.end) this.fail(`${what}: ${this.remaining} unexpected trailing byte(s)`);
  }
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

/** `90B3D51F30010000` bytes → `90-B3-D5-1F-30-01-00-00`. */
export function euiText(bytes: Uint8Array): string {
  return toHex(bytes).match(/../g)!.join('-');
}

export function readBigUint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}
