import type { Logger } from '../../util/logger';
import type { CoordinatorState } from './coordinator-state';
import type { DeviceNetwork, EmulatorEvent } from './device-network';
import type { DeviceZcl } from './device-zcl';
import type { HostLink } from './host-link';
import type { Reader } from './mt-codec';
import type { RadioWorld } from './radio-world';

/** What an MT subsystem handler works on: the coordinator's state and the world below it. */
export interface MtContext {
  readonly state: CoordinatorState;
  readonly network: DeviceNetwork;
  readonly zcl: DeviceZcl;
  readonly radio: RadioWorld;
  readonly host: HostLink;
  readonly log: Logger;
  now(): number;
  emit(event: EmulatorEvent): void;
}

/** A handled SREQ/AREQ: the SRSP data (SREQs), and the work that follows it (the AREQs it causes). */
export interface Handled {
  readonly rsp?: Buffer;
  readonly after?: () => void;
}

export type MtHandler = (ctx: MtContext, r: Reader) => Handled;

/** One subsystem's commands by command id: the protocol's table, as data. */
export type MtCommandTable = ReadonlyMap<number, MtHandler>;
