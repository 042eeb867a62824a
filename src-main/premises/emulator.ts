import type { Logger } from '../util/logger';
import type { PremisesModel } from './premises-model';

/** The emulators the training premises can run; the keys are the ones `hantool sim` reports under "ports". */
export type EmulatorName = 'zigbee' | 'mbus' | 'wmbus' | 'dcc';

export interface EmulatorContext {
  readonly model: PremisesModel;
  readonly log: Logger;
  /** Loopback host to bind; always 127.0.0.1 (never a routable address). */
  readonly host: string;
}

export interface RunningEmulator {
  /** The TCP port the emulator listens on, chosen by the system (bound to port 0). */
  readonly port: number;
  /** Emulator-specific details other parts may need (e.g. the DCC simulator's CA certificate). */
  readonly details?: Readonly<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** An emulated dongle or service living in the training premises, beside the capability it emulates. */
export interface EmulatorFactory {
  readonly name: EmulatorName;
  /** What the dongle panel shows for it, e.g. "Z-Stack coordinator (emulated)". */
  readonly label: string;
  start(context: EmulatorContext): Promise<RunningEmulator>;
}
