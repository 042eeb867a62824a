import { readNib, type NibSummary } from './nib';
import { NV, type NvMemory } from './nv-memory';

/** ZDO device states (devStates_t) the host sees in ZDO_STATE_CHANGE_IND and UTIL_GET_DEVICE_INFO. */
export const DEV_STATE = { HOLD: 0, COORDINATOR_STARTING: 8, COORDINATOR: 9 } as const;

export interface RegisteredEndpoint {
  readonly profile: number;
  readonly deviceId: number;
  readonly inClusters: number[];
  readonly outClusters: number[];
}

/**
 * What the coordinator itself holds: NV memory (flash, survives a reset), and the RAM state a reset loses — its
 * device state, the host's registered endpoints and groups, the trust centre's install-code keys, the BDB settings
 * and the ZDO callbacks the host registered.
 */
export class CoordinatorState {
  readonly nv: NvMemory;
  readonly #factoryIeee: string;
  devState: number = DEV_STATE.HOLD;
  readonly endpoints = new Map<number, RegisteredEndpoint>();
  readonly groups = new Set<string>();
  /** Install-code-derived TC link keys by EUI-64 (hex), as the trust centre holds them. */
  readonly tcLinkKeys = new Map<string, string>();
  /** ZDO response clusters the host registered with ZDO_MSG_CB_REGISTER (answered with ZDO_MSG_CB_INCOMING). */
  readonly zdoCallbacks = new Set<number>();
  primaryChannelMask = 0;
  secondaryChannelMask = 0;
  joinUsesInstallCodeKey = false;
  nwkUpdateId = 0;
  /** Outgoing NWK frame counter, saved in the security material table. */
  nwkFrameCounter = 0;

  constructor(nv: NvMemory, factoryIeee: string) {
    this.nv = nv;
    this.#factoryIeee = factoryIeee.toUpperCase();
  }

  /** The coordinator's EUI-64: the factory address, or the one a restored backup wrote to NV (ZCD_NV_EXTADDR). */
  get ieee(): string {
    const stored = this.nv.get(NV.EXTADDR);
    return stored && stored.length === 8 ? Buffer.from(stored).reverse().toString('hex').toUpperCase() : this.#factoryIeee;
  }

  get factoryIeee(): string {
    return this.#factoryIeee;
  }

  get running(): boolean {
    return this.devState === DEV_STATE.COORDINATOR;
  }

  nib(): NibSummary | undefined {
    return readNib(this.nv.get(NV.NIB));
  }

  /** ZCD_NV_ZDO_DIRECT_CB: ZDO responses go to the host as their own AREQs only when the host set it. */
  get directCallbacks(): boolean {
    return this.nv.get(NV.ZDO_DIRECT_CB)?.[0] === 1;
  }

  /** SYS_RESET_REQ: RAM is lost; NV stays. */
  clearRam(): void {
    this.devState = DEV_STATE.HOLD;
    this.endpoints.clear();
    this.groups.clear();
    this.zdoCallbacks.clear();
    this.primaryChannelMask = 0;
    this.secondaryChannelMask = 0;
  }
}
