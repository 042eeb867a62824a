import { assertSerialDevice } from './serial-device';
import { SerialPort } from 'serialport';
import { type DeviceLink, LinkClosedError } from './device-link';
import { ListenerSet } from './listeners';
import { claimPort } from './port-claims';

export interface SerialLinkOptions {
  path: string;
  baudRate: number;
  dataBits?: 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  /** For tests: serialport's binding (e.g. SerialPortMock.binding). */
  binding?: ConstructorParameters<typeof SerialPort>[0]['binding'];
}

/** A DeviceLink over a serial port (USB CDC/FTDI/CP210x dongles, wired M-Bus level converters). */
export class SerialLink implements DeviceLink {
  readonly description: string;
  readonly #options: SerialLinkOptions;
  #port: SerialPort | undefined;
  readonly #data = new ListenerSet<[Buffer]>();
  readonly #closed = new ListenerSet<[Error | undefined]>();

  constructor(options: SerialLinkOptions) {
    this.#options = options;
    const parity = (options.parity ?? 'none')[0]!.toUpperCase();
    this.description = `${options.path} @ ${options.baudRate} ${options.dataBits ?? 8}${parity}${options.stopBits ?? 1}`;
  }

  get isOpen(): boolean {
    return this.#port?.isOpen ?? false;
  }

  open(): Promise<void> {
    const o = this.#options;
    // A test or emulator binding has no device node; a real port must be a serial device, never any file.
    try {
      if (!o.binding) assertSerialDevice(o.path);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return new Promise((resolve, reject) => {
      const port = new SerialPort({
        path: o.path,
        baudRate: o.baudRate,
        dataBits: o.dataBits ?? 8,
        parity: o.parity ?? 'none',
        stopBits: o.stopBits ?? 1,
        autoOpen: false,
        ...(o.binding ? { binding: o.binding } : {}),
      } as ConstructorParameters<typeof SerialPort>[0]);
      port.open((error) => {
        if (error) return reject(new Error(`${this.description}: ${error.message}`));
        // A write or driver error after opening is reported by the write's callback or the close event.
        port.on('error', () => undefined);
        port.on('data', (chunk: Buffer) => this.#data.emit(chunk));
        // serialport reports an unplug as a close event carrying a DisconnectedError.
        const release = claimPort(o.path);
        port.on('close', (closeError?: Error) => {
          release();
          this.#port = undefined;
          this.#closed.emit(closeError ?? undefined);
        });
        this.#port = port;
        resolve();
      });
    });
  }

  write(data: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port?.isOpen) return Promise.reject(new LinkClosedError(this.description));
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(data), (error) => {
        if (error) return reject(new LinkClosedError(this.description, error));
        port.drain((drainError) => (drainError ? reject(new LinkClosedError(this.description, drainError)) : resolve()));
      });
    });
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.#data.add(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.#closed.add(listener);
  }

  close(): Promise<void> {
    const port = this.#port;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }
}
