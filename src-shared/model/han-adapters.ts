/**
 * What each zigbee-herdsman 11.1.1 adapter can do for SE commissioning, found by reading its adapter code.
 * The UI gates features on this table and says why, instead of failing obscurely.
 */
export type HanAdapterType = 'zstack' | 'ember' | 'deconz' | 'zigate' | 'zboss' | 'zoh';

export type Support = 'yes' | 'no' | 'partial' | 'unverified';

export interface AdapterCapabilities {
  readonly adapter: HanAdapterType;
  readonly label: string;
  readonly installCodes: Support;
  /** Sending and receiving ZCL on the SE profile 0x0109 (needed for every SE read and pairing). */
  readonly seProfile: Support;
  readonly backup: Support;
  /** Energy scan of channels 11–26 (herdsman has no scan API: built on what its adapter exposes; src-main/zigbee/diagnostics). */
  readonly energyScan: Support;
  /** Active (beacon) scan listing nearby networks without joining them. */
  readonly beaconScan: Support;
  /** Notes shown beside the capability, one per limitation. */
  readonly notes: readonly string[];
}

export const ADAPTER_CAPABILITIES: Readonly<Record<HanAdapterType, AdapterCapabilities>> = {
  zstack: {
    adapter: 'zstack',
    label: 'TI Z-Stack (ZNP)',
    installCodes: 'yes',
    seProfile: 'yes',
    backup: 'yes',
    energyScan: 'yes',
    beaconScan: 'yes',
    notes: [
      'Registers endpoint 6 with the SE profile 0x0109, so SE requests go out with that profile and answers are accepted.',
      'Install codes need Z-Stack 3.x (APP_CNF bdbAddInstallCode); Z-Stack 1.2 firmware cannot take them.',
      'Energy scans run on a started network: a factory-new dongle is started as a closed, device-less survey network of its own for the scan.',
    ],
  },
  ember: {
    adapter: 'ember',
    label: 'Silicon Labs EmberZNet (EZSP)',
    installCodes: 'partial',
    seProfile: 'no',
    backup: 'yes',
    energyScan: 'unverified',
    beaconScan: 'no',
    notes: [
      'Energy scan (EZSP startScan, max RSSI in dBm per channel) is built on herdsman’s EZSP layer and tested with recorded frames only: untested on hardware. Beacon survey is not built for Ember.',
      'Install codes go in as transient keys, but every permit-join also imports the well-known ZigBeeAlliance09 key: there is no install-code-only policy.',
      'Only endpoint 1 (HA 0x0104) and 242 (Green Power) are registered and incoming frames on profile 0x0109 are dropped, so SE meters cannot be read.',
    ],
  },
  deconz: {
    adapter: 'deconz',
    label: 'dresden elektronik deCONZ (ConBee)',
    installCodes: 'yes',
    seProfile: 'no',
    backup: 'yes',
    energyScan: 'no',
    beaconScan: 'no',
    notes: ['Requests can carry profile 0x0109 but responses are only matched on the HA profile, so SE reads time out.'],
  },
  zigate: {
    adapter: 'zigate',
    label: 'NXP ZiGate',
    installCodes: 'no',
    seProfile: 'unverified',
    backup: 'no',
    energyScan: 'no',
    beaconScan: 'no',
    notes: ['Install codes are not supported, so SE devices cannot join.'],
  },
  zboss: {
    adapter: 'zboss',
    label: 'DSR ZBOSS (nRF)',
    installCodes: 'no',
    seProfile: 'unverified',
    backup: 'no',
    energyScan: 'no',
    beaconScan: 'no',
    notes: ['Install codes are not supported yet, so SE devices cannot join.'],
  },
  zoh: {
    adapter: 'zoh',
    label: 'zigbee-on-host (OpenThread RCP)',
    installCodes: 'yes',
    seProfile: 'unverified',
    backup: 'no',
    energyScan: 'no',
    beaconScan: 'no',
    notes: ['Keeps its own state file instead of a coordinator backup; the stack is work in progress.'],
  },
};

/** Why this adapter cannot run a scan, in plain words, or undefined when it can (possibly untested on hardware). */
export function scanUnavailableReason(adapter: HanAdapterType, scan: 'energyScan' | 'beaconScan'): string | undefined {
  const caps = ADAPTER_CAPABILITIES[adapter];
  if (caps[scan] !== 'no') return undefined;
  return `${caps.label} cannot run ${scan === 'energyScan' ? 'an energy scan' : 'a beacon survey'} from this app: zigbee-herdsman exposes no scan for it.`;
}

/** Why a feature is unavailable on this adapter, or undefined when it is available. */
export function unavailableReason(adapter: HanAdapterType, feature: 'installCodes' | 'seProfile' | 'backup'): string | undefined {
  const caps = ADAPTER_CAPABILITIES[adapter];
  if (caps[feature] === 'yes' || caps[feature] === 'partial') return undefined;
  const what = { installCodes: 'install-code joining', seProfile: 'Smart Energy (profile 0x0109) traffic', backup: 'coordinator backup' }[feature];
  return `${caps.label} does not support ${what}${caps.notes.length ? `: ${caps.notes[caps.notes.length - 1]}` : '.'}`;
}
