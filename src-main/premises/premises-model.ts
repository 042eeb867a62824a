import { installCodeCrcHex } from '../../src-shared/model/install-code-crc';
import { mpanCheckDigit } from '../../src-shared/model/mpan';
import { seededRandom, randomHex } from '../util/seeded-random';
import { createRfEnvironment, type RfEnvironment } from './rf-environment';

/** GB SMETS2 device types as DUIS names them. */
export type VirtualDeviceType = 'ESME' | 'GSME' | 'IHD' | 'PPMID' | 'CHF' | 'GPF';

/** A device in the training premises, with what is printed on its label. */
export interface VirtualDevice {
  readonly type: VirtualDeviceType;
  /** 16 upper-case hex digits, no separators. */
  readonly eui64: string;
  /** 16-byte install code without its CRC, upper-case hex. */
  readonly installCode: string;
  /** The two CRC bytes as appended to the code (e.g. "C3B5"). */
  readonly installCodeCrc: string;
  /** The label's machine-readable form: `Z:<EUI64>$I:<code+crc>`. */
  readonly label: string;
  /** Sleepy end devices (gas meters) only answer when they poll. */
  readonly sleepy: boolean;
}

/** The ESME's import register: one definition, served by the ZigBee emulator and by the DCC simulator alike. */
export interface EsmeRegister {
  /** Wh at the model's epoch. */
  readonly baseWh: number;
  /** Constant import rate, W. */
  readonly demandW: number;
  readonly epochMs: number;
}

export interface PremisesModel {
  readonly seed: number;
  readonly address: { readonly line1: string; readonly town: string; readonly postcode: string };
  /** 13-digit MPAN core with a valid check digit. */
  readonly mpan: string;
  readonly mprn: string;
  readonly devices: readonly VirtualDevice[];
  readonly esmeRegister: EsmeRegister;
  /**
   * The premises' radio environment (noise, nearby networks, link quality) and the Comms Hub's GPF (whose printed ID
   * is the hub network's extended PAN ID), from its own seeded stream.
   */
  readonly rf: RfEnvironment;
}

const TYPES: readonly VirtualDeviceType[] = ['CHF', 'ESME', 'GSME', 'IHD', 'PPMID'];
const STREETS = ['Meadow Lane', 'Station Road', 'Church Street', 'Mill Road', 'Park Avenue'];
const TOWNS = [
  { town: 'Reading', postcode: 'RG1' },
  { town: 'Swindon', postcode: 'SN1' },
  { town: 'Leeds', postcode: 'LS6' },
];

function device(type: VirtualDeviceType, random: () => number): VirtualDevice {
  // An OUI-like prefix per type keeps EUI-64s readable in training.
  const eui64 = randomHex(random, 8);
  const installCode = randomHex(random, 16);
  const bytes = Uint8Array.from(installCode.match(/../g)!.map((b) => parseInt(b, 16)));
  const crc = installCodeCrcHex(bytes);
  return {
    type,
    eui64,
    installCode,
    installCodeCrc: crc,
    label: `Z:${eui64}$I:${installCode}${crc}`,
    sleepy: type === 'GSME',
  };
}

/** Builds the seeded virtual premises. The same seed always gives the same premises. */
export function createPremisesModel(seed = 1, now = Date.now()): PremisesModel {
  const random = seededRandom(seed);
  const street = STREETS[Math.floor(random() * STREETS.length)]!;
  const place = TOWNS[Math.floor(random() * TOWNS.length)]!;
  // Distributor id 10–23 (GB DNOs), then 10 more digits, then the check digit.
  const body = String(10 + Math.floor(random() * 14)) + Array.from({ length: 10 }, () => Math.floor(random() * 10)).join('');
  const mpan = body + String(mpanCheckDigit(body));
  const mprn = String(1_000_000 + Math.floor(random() * 9_000_000)) + String(Math.floor(random() * 100)).padStart(2, '0');
  const line1 = `${1 + Math.floor(random() * 120)} ${street}`;
  const postcode = `${place.postcode} ${1 + Math.floor(random() * 9)}${'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(random() * 20)]}${'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(random() * 20)]}`;
  // The draws above and below keep their order: the same seed gives the same devices and registers as before.
  const devices = TYPES.map((type) => device(type, random));
  const esmeRegister = { baseWh: 12_000_000 + Math.floor(random() * 5_000_000), demandW: 400 + Math.floor(random() * 1600), epochMs: now };
  const rf = createRfEnvironment(seed);
  return {
    seed,
    address: {
      line1,
      town: place.town,
      postcode,
    },
    mpan,
    mprn,
    devices,
    esmeRegister,
    rf,
  };
}

/** The ESME's import register in Wh at a given time: what both the HAN read and the DCC read must report. */
export function esmeImportWh(register: EsmeRegister, atMs: number): number {
  return Math.floor(register.baseWh + (register.demandW * Math.max(0, atMs - register.epochMs)) / 3_600_000);
}
