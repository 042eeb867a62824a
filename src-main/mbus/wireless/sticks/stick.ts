/** What every wM-Bus receiver stick driver offers, whatever its host protocol. */
export type WmbusMode = 'T1' | 'C1' | 'S1';

export interface ReceivedTelegram {
  /** The telegram from its L-field, without link-layer CRCs (as the decoder accepts it). */
  readonly bytes: Uint8Array;
  readonly rssiDbm?: number;
  readonly receivedAt: number;
}

export interface WmbusStick {
  readonly kind: 'amber' | 'imst';
  /** Model as identified by the probe, e.g. "AMB8465" or "iM871A". */
  readonly model: string;
  /** Puts the stick into a receive mode (collector side). */
  setMode(mode: WmbusMode): Promise<void>;
  onTelegram(listener: (telegram: ReceivedTelegram) => void): () => void;
  close(): Promise<void>;
}

export class StickError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StickError';
  }
}

/** Waits for the first reply matching `accept`, or rejects after `timeoutMs`. */
export function waitFor<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  accept: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new StickError(`${what}: no reply within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = subscribe((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    });
  });
}
