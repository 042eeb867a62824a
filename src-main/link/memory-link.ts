import { type DeviceLink, LinkClosedError } from './device-link';
import { ListenerSet } from './listeners';

/** In-memory DeviceLink; `createMemoryLinkPair` joins two ends, like a null-modem cable, for unit tests. */
export class MemoryLink implements DeviceLink {
  readonly description: string;
  #open = false;
  peer: MemoryLink | undefined;
  readonly #data = new ListenerSet<[Buffer]>();
  readonly #closed = new ListenerSet<[Error | undefined]>();

  constructor(description: string) {
    this.description = description;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  async open(): Promise<void> {
    this.#open = true;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.#open) throw new LinkClosedError(this.description);
    const copy = Buffer.from(data);
    // Deliver asynchronously, as a real transport would.
    queueMicrotask(() => this.peer?.receive(copy));
  }

  /** Inject bytes as if they arrived from the other end. */
  receive(chunk: Buffer): void {
    if (this.#open) this.#data.emit(chunk);
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.#data.add(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.#closed.add(listener);
  }

  /** Simulate the far end vanishing (unplugged dongle). */
  lose(error = new Error('device unplugged')): void {
    if (!this.#open) return;
    this.#open = false;
    this.#closed.emit(error);
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.#closed.emit(undefined);
  }
}

export function createMemoryLinkPair(): [MemoryLink, MemoryLink] {
  const a = new MemoryLink('memory:a');
  const b = new MemoryLink('memory:b');
  a.peer = b;
  b.peer = a;
  return [a, b];
}
