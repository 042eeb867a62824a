import type { AdapterCapabilities, HanAdapterType } from './han-adapters';

/**
 * The HAN (ZigBee coordinator) vocabulary shared by main and the renderer: nothing here comes from zigbee-herdsman.
 */

/** The network a job's coordinator forms: fresh random values per job, never herdsman's well-known defaults. */
export interface HanNetworkParams {
  readonly panId: number;
  /** 16 upper-case hex digits. */
  readonly extendedPanId: string;
  /** 32 upper-case hex digits. */
  readonly networkKey: string;
  readonly channel: number;
}

/** One device-log (whitelist) entry. */
export interface DeviceLogEntry {
  readonly eui64: string;
  readonly installCode: string;
  readonly crc: string;
  /** True when the CRC was typed or scanned (and checked); false when we computed it. */
  readonly crcSupplied: boolean;
  /** AES-MMO link key derived from code + CRC (shown to the engineer). */
  readonly linkKey: string;
  readonly label?: string;
}

export type HanDeviceState = 'whitelisted' | 'joined' | 'interviewing' | 'ready' | 'failed' | 'refused' | 'left';

export interface TimelineEntry {
  readonly atMs: number;
  readonly state: HanDeviceState;
  /** Why, for failed/refused (e.g. "no node descriptor", "not on the device log"). */
  readonly reason?: string;
}

export type HanDeviceType = 'ESME' | 'GSME' | 'IHD' | 'PPMID' | 'Metering' | 'Unknown';

export interface MeteringReading {
  readonly atMs: number;
  /** Scaled value, e.g. 12345.678. */
  readonly value: number;
  /** Rendered per SummationFormatting, e.g. "12345.678". */
  readonly text: string;
  readonly unit: string;
  readonly raw: number;
  readonly multiplier: number;
  readonly divisor: number;
  readonly formatting: number;
  /** Per-attribute result: the value, or why it could not be read. */
  readonly attributes: Readonly<Record<string, { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: string }>>;
}

export interface HanDevice {
  readonly eui64: string;
  readonly state: HanDeviceState;
  readonly type: HanDeviceType;
  readonly nwkAddress?: number;
  readonly lqi?: number;
  readonly lastSeenMs?: number;
  readonly reading?: MeteringReading;
  readonly timeline: readonly TimelineEntry[];
  /** For IHDs: the meter they are paired with. */
  readonly pairedWith?: string;
}

export type HanServiceState = 'stopped' | 'starting' | 'running' | 'adapter-lost';

export interface HanNetworkStatus {
  readonly state: HanServiceState;
  readonly adapter: HanAdapterType;
  readonly path: string;
  readonly capabilities: AdapterCapabilities;
  readonly panId: number;
  readonly extendedPanId: string;
  readonly channel: number;
  readonly coordinatorIeee?: string;
  readonly joinWindow: { readonly open: boolean; readonly endsAtMs?: number; readonly remainingS: number };
}

export interface PairingResult {
  readonly meter: string;
  readonly ihd: string;
  readonly bound: boolean;
  readonly reportingConfigured: boolean;
  /** The meter's binding table, read back, contains meter Metering → IHD. */
  readonly bindingConfirmed: boolean;
  /** The IHD says it received a Metering report from the meter (its own confirmation attribute). */
  readonly ihdConfirmed: boolean;
  readonly ihdReportsReceived: number;
  readonly error?: string;
}

export type HanEvent =
  | { readonly type: 'device'; readonly eui64: string; readonly entry: TimelineEntry }
  | { readonly type: 'join-window'; readonly open: boolean; readonly endsAtMs?: number }
  | { readonly type: 'adapter'; readonly state: 'lost' | 'reconnected' | 'started' | 'stopped'; readonly message?: string }
  | { readonly type: 'reading'; readonly eui64: string; readonly reading: MeteringReading };

/** What is stored with the job (han-state.json): enough to resume the network on this or another dongle. */
export interface HanJobState {
  readonly version: 1;
  readonly network: HanNetworkParams;
  readonly deviceLog: readonly DeviceLogEntry[];
  readonly devices: readonly HanDevice[];
}
