/**
 * One byte-stream interface for every dongle transport: a USB serial port, a TCP socket (network coordinators,
 * M-Bus gateways, serial servers, the training premises' emulators) or an in-memory pair in tests.
 * Drivers depend on this and nothing else, so the same driver code runs on real hardware and on the emulators.
 */
export interface DeviceLink {
  /** Human-readable description, e.g. "/dev/ttyUSB0 @ 2400 8E1" or "tcp://127.0.0.1:40123". */
  readonly description: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  /** Resolves once the bytes are handed to the OS (drained for serial ports). */
  write(data: Uint8Array): Promise<void>;
  /** Subscribe to received bytes; returns an unsubscribe function. */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** Called once when the link closes; `error` is set when it was lost (unplugged, connection reset). */
  onClose(listener: (error?: Error) => void): () => void;
  close(): Promise<void>;
}

/** Where a link goes: parsed from user input or from discovery. */
export type LinkTarget =
  | { kind: 'serial'; path: string; baudRate: number; dataBits?: 7 | 8; parity?: 'none' | 'even' | 'odd'; stopBits?: 1 | 2 }
  | { kind: 'tcp'; host: string; port: number };

/** Raised when a link is used while closed or is lost, so callers can tell "adapter lost" from protocol errors. */
export class LinkClosedError extends Error {
  constructor(description: string, cause?: Error) {
    super(`${description}: link closed${cause ? ` (${cause.message})` : ''}`, { cause });
    this.name = 'LinkClosedError';
  }
}
