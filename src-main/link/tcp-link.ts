import { Socket } from 'node:net';
import { type DeviceLink, LinkClosedError } from './device-link';
import { ListenerSet } from './listeners';
import { claimPort } from './port-claims';

/** A DeviceLink over TCP: network coordinators, M-Bus gateways, serial servers and the training emulators. */
export class TcpLink implements DeviceLink {
  readonly description: string;
  readonly #host: string;
  readonly #port: number;
  #socket: Socket | undefined;
  readonly #data = new ListenerSet<[Buffer]>();
  readonly #closed = new ListenerSet<[Error | undefined]>();

  constructor(host: string, port: number) {
    this.#host = host;
    this.#port = port;
    this.description = `tcp://${host}:${port}`;
  }

  get isOpen(): boolean {
    return this.#socket !== undefined && !this.#socket.destroyed;
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      socket.setNoDelay(true);
      const onConnectError = (error: Error): void => reject(new Error(`${this.description}: ${error.message}`));
      socket.once('error', onConnectError);
      socket.connect(this.#port, this.#host, () => {
        socket.off('error', onConnectError);
        const release = claimPort(this.description);
        let lostError: Error | undefined;
        socket.on('error', (error) => (lostError = error));
        socket.on('data', (chunk) => this.#data.emit(chunk));
        socket.on('close', () => {
          release();
          this.#socket = undefined;
          this.#closed.emit(lostError ?? (this.#closingOnPurpose ? undefined : new Error('connection closed by peer')));
        });
        this.#socket = socket;
        resolve();
      });
    });
  }

  #closingOnPurpose = false;

  write(data: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!socket || socket.destroyed) return Promise.reject(new LinkClosedError(this.description));
    return new Promise((resolve, reject) => {
      socket.write(data, (error) => (error ? reject(new LinkClosedError(this.description, error)) : resolve()));
    });
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.#data.add(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.#closed.add(listener);
  }

  close(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return Promise.resolve();
    this.#closingOnPurpose = true;
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      socket.destroySoon();
    });
  }
}
