import type { EventChannel, EventPayload } from '../../src-shared/ipc/contract';
import { eventFitForRenderer } from './event-text';

type Listener = (channel: EventChannel, payload: unknown) => void;

/** Main's typed event bus; both bridges subscribe once and forward every event to their renderers. */
export class EventBus {
  readonly #listeners = new Set<Listener>();

  /** Free text (notices, reasons, errors) is made fit for the renderer here, once for both bridges. */
  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void {
    const fit = eventFitForRenderer(channel, payload);
    for (const listener of [...this.#listeners]) listener(channel, fit);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
