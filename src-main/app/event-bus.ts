import type { EventChannel, EventPayload } from '../../src-shared/ipc/contract';

type Listener = (channel: EventChannel, payload: unknown) => void;

/** Main's typed event bus; both bridges subscribe once and forward every event to their renderers. */
export class EventBus {
  readonly #listeners = new Set<Listener>();

  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void {
    for (const listener of [...this.#listeners]) listener(channel, payload);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
