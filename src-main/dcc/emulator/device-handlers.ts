import { esmeImportWh, type PremisesModel } from '../../premises/premises-model';
import { toDuisEui } from '../eui';
import type { ContentKeys } from './gbcs-content';
import {
  asn1FirmwareContent,
  chfDeviceLogContent,
  deviceLogUpdateContent,
  dlmsFirmwareContent,
  esmeRegistersContent,
  gbzFirmwareContent,
  gsmeRegisterContent,
  joinContent,
  meterDeviceLogContent,
} from './gbcs-content';
import { simulatedFirmwareVersion } from './device-firmware';
import type { MmcData } from '../mmc';

/**
 * The simulator's device service requests as a table: one handler per DUIS service reference variant, each
 * checking the request against the target device, changing the premises as the real request would, and saying
 * what the device answers — in MMC form (the per-connection Parse & Correlate option) and as GBCS content with
 * its message code. New requests are new rows: `deviceHandlers[variant]` (8.1.1 and 8.7.1, through serviceT, are
 * the critical desk's).
 */
export type SmiStatus = 'Pending' | 'Whitelisted' | 'InstalledNotCommissioned' | 'Commissioned' | 'Decommissioned' | 'Withdrawn' | 'Suspended';

/** One entry of the simulated Comms Hub device log (the CHF whitelist, at most 16 entries). */
export interface DeviceLogEntry {
  readonly deviceId: string;
  readonly installCode: string;
  readonly joinTimePeriodS: number;
  readonly addedAt: string;
  readonly joined: boolean;
  readonly lastCommunications?: string;
}

export const CHF_DEVICE_LOG_CAPACITY = 16;

export class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The premises state handlers read and change. */
export interface SimulatedPremises {
  readonly model: PremisesModel;
  readonly smi: Map<string, SmiStatus>;
  readonly typeOf: Map<string, string>;
  deviceLog: DeviceLogEntry[];
  readonly chfId: string;
  now(): number;
  /** Added to the ESME register in 4.1.1 answers (a meter that reads wrong end to end). */
  wrongValueWh(): number;
}

export type XmlNode = Record<string, unknown>;

export interface DeviceRequest {
  readonly variant: string;
  readonly body: XmlNode;
  /** The RequestID target, DUIS form. */
  readonly target: string;
  readonly counter: bigint;
}

/** GBCS content of a device's answer; `content` is given the keys when the answer is encrypted for the User. */
export interface GbcsAnswer {
  readonly messageCode: number;
  content(keys: ContentKeys): Buffer;
  readonly encrypted?: boolean;
  /** Signed with the device's digital-signing key (responses to critical commands: s3-crit's rows). */
  readonly signed?: boolean;
  /** Carry a DLMS date-time in the grouping header, as the RTDS GBZ reads do. */
  readonly dateTime?: boolean;
}

export interface DeviceAnswer {
  readonly mmc: MmcData;
  readonly gbcs: GbcsAnswer;
}

export interface DeviceHandler {
  /** Refuses (throws `Refusal`) what the target cannot do; runs before the request is acknowledged. */
  check(request: DeviceRequest, premises: SimulatedPremises): void;
  answer(request: DeviceRequest, premises: SimulatedPremises): DeviceAnswer;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);

/** ZigBee device types as CS07 numbers them in its device log (GBCS: 0 ESME … as RTDS 8.9_CS07 shows 3, 5). */
const LOG_DEVICE_TYPE: Record<string, number> = { ESME: 0, GSME: 1, GPF: 2, CHF: 2, IHD: 3, CAD: 3, PPMID: 5, HCALCS: 4 };

/** GBCS JoinDeviceResponse: the other device never answered key establishment (it is not on the hub's log). */
const NO_CBKE_RESPONSE = 13;

/**
 * Gas volume for 4.1.1 on the GSME: the premises' gas meter advances at a fixed rate from a seeded base, so a
 * repeated read in one session climbs the way a real meter's does (litres).
 */
export function gsmeLitres(model: PremisesModel, atMs: number): number {
  const base = 1_000_000 + (model.seed % 1000) * 1000;
  return base + Math.floor(((atMs - model.esmeRegister.epochMs) / 3_600_000) * 150);
}

const onlyChf = (variant: string) => (request: DeviceRequest, premises: SimulatedPremises) => {
  if (request.target !== premises.chfId) throw new Refusal('E11', `${variant} is simulated for the Comms Hub only`);
};

const meterTypes = new Set(['ESME', 'GSME']);

/**
 * 11.2's use case per device type (GBCS; RTDS 11.2_*, DCC Boxed captures): the ESME and the Comms Hub answer in
 * DLMS (ECS52), the GSME in GBZ (GCS38), a PPMID or HCALCS (pre-notified by 12.2) in ASN.1 (CS08). The GPF's firmware is the Comms Hub's.
 */
const FIRMWARE_USE_CASE: Readonly<Record<string, { readonly messageCode: number; readonly content: (version: string, frameCounter: bigint) => Buffer }>> = {
  ESME: { messageCode: 0x0059, content: (version, counter) => dlmsFirmwareContent(counter, version) },
  CHF: { messageCode: 0x0059, content: (version, counter) => dlmsFirmwareContent(counter, version) },
  GSME: { messageCode: 0x0084, content: (version) => gbzFirmwareContent(version) },
  PPMID: { messageCode: 0x0129, content: (version) => asn1FirmwareContent(version) },
  HCALCS: { messageCode: 0x0129, content: (version) => asn1FirmwareContent(version) },
};

/** SMI statuses in which a device is on the HAN and can be read (a Pending PPMID has not joined anything yet). */
const READABLE = new Set<SmiStatus>(['InstalledNotCommissioned', 'Commissioned']);

export const deviceHandlers: Readonly<Record<string, DeviceHandler>> = {
  '8.11': {
    check(request, premises) {
      onlyChf('8.11')(request, premises);
      const device = toDuisEui(text(request.body.DeviceID) ?? '');
      if (!premises.smi.has(device)) throw new Refusal('E19', `device ${device} is not in the SMI (pre-notify it with 12.2)`);
    },
    answer(request, premises) {
      const deviceId = toDuisEui(text(request.body.DeviceID) ?? '');
      const remove = text(request.body.RequestType) === 'Remove';
      const updated = (success: boolean): DeviceAnswer => ({
        mmc: { kind: 'han-device-log-updated', success },
        gbcs: { messageCode: remove ? 0x0002 : 0x0001, content: () => deviceLogUpdateContent(request.counter, !remove, success) },
      });
      if (remove) {
        premises.deviceLog = premises.deviceLog.filter((e) => e.deviceId !== deviceId);
        return updated(true);
      }
      const add = (request.body.AddDeviceToCHFWhitelist ?? {}) as XmlNode;
      const existing = premises.deviceLog.some((e) => e.deviceId === deviceId);
      if (!existing && premises.deviceLog.length >= CHF_DEVICE_LOG_CAPACITY) return updated(false);
      const entry: DeviceLogEntry = {
        deviceId,
        installCode: text(add.InstallCode) ?? '',
        joinTimePeriodS: Number(text(add.JoinTimePeriod)),
        addedAt: new Date(premises.now()).toISOString(),
        joined: false,
      };
      premises.deviceLog = [...premises.deviceLog.filter((e) => e.deviceId !== deviceId), entry];
      if (premises.smi.get(deviceId) === 'Pending') premises.smi.set(deviceId, 'Whitelisted');
      return updated(true);
    },
  },
  '8.9': {
    check(request, premises) {
      if (request.target !== premises.chfId && !meterTypes.has(premises.typeOf.get(request.target) ?? ''))
        throw new Refusal('E11', '8.9 is simulated for the Comms Hub, ESME and GSME');
    },
    answer(request, premises) {
      const entries = premises.deviceLog.map((e) => ({ deviceId: e.deviceId, ...(e.lastCommunications ? { lastCommunications: e.lastCommunications } : {}) }));
      const mmc: MmcData = { kind: 'chf-device-log', entries };
      if (request.target === premises.chfId) return { mmc, gbcs: { messageCode: 0x010f, content: () => chfDeviceLogContent(request.counter, entries) } };
      // A meter's own device log: the devices joined to it (the hub's joined entries, in this simulation).
      const joined = premises.deviceLog
        .filter((e) => e.joined)
        .map((e) => ({ deviceId: e.deviceId, deviceType: LOG_DEVICE_TYPE[premises.typeOf.get(e.deviceId) ?? ''] ?? 3 }));
      return {
        mmc: { kind: 'chf-device-log', entries: joined.map((e) => ({ deviceId: e.deviceId })) },
        gbcs: { messageCode: 0x0013, content: () => meterDeviceLogContent(joined) },
      };
    },
  },
  '8.7.2': {
    check(request, premises) {
      const type = premises.typeOf.get(request.target) ?? '';
      if (!['ESME', 'GSME', 'GPF'].includes(type))
        throw new Refusal('E11', `8.7.2 is simulated for an ESME, GSME or GPF, not a ${type || 'device of unknown type'}`);
    },
    answer(request, premises) {
      const other = toDuisEui(text(request.body.OtherDeviceID) ?? '');
      const otherType = premises.typeOf.get(other) ?? '';
      // CS03B joins a type 2 device (IHD, CAD); CS03C a GSME with its GPF; CS03A2 (non-critical) a PPMID or HCALCS.
      const messageCode = otherType === 'IHD' || otherType === 'CAD' ? 0x000e : otherType === 'GSME' || otherType === 'GPF' ? 0x00af : 0x00ab;
      const entry = premises.deviceLog.find((e) => e.deviceId === other);
      if (!entry) return { mmc: { kind: 'join', status: 'otherFailure', success: false }, gbcs: { messageCode, content: () => joinContent(NO_CBKE_RESPONSE) } };
      const at = new Date(premises.now()).toISOString();
      premises.deviceLog = premises.deviceLog.map((e) => (e.deviceId === other ? { ...e, joined: true, lastCommunications: at } : e));
      premises.smi.set(other, 'Commissioned');
      return { mmc: { kind: 'join', status: 'success', success: true }, gbcs: { messageCode, content: () => joinContent(0) } };
    },
  },
  '4.1.1': {
    check(request, premises) {
      const type = premises.typeOf.get(request.target) ?? '';
      if (!meterTypes.has(type)) throw new Refusal('E11', `4.1.1 reads an ESME or a GSME, not a ${type || 'device of unknown type'}`);
    },
    answer(request, premises) {
      const at = premises.now();
      if (premises.typeOf.get(request.target) === 'GSME') {
        const litres = gsmeLitres(premises.model, at);
        return {
          mmc: { kind: 'gas-register', valueM3: litres / 1000, unit: 'm3' },
          gbcs: { messageCode: 0x0074, encrypted: true, dateTime: true, content: (keys) => gsmeRegisterContent(litres, keys) },
        };
      }
      const valueWh = esmeImportWh(premises.model.esmeRegister, at) + premises.wrongValueWh();
      return {
        mmc: { kind: 'import-register', valueWh, unit: 'Wh' },
        gbcs: { messageCode: 0x0027, encrypted: true, content: (keys) => esmeRegistersContent(Math.floor(valueWh), 0, keys) },
      };
    },
  },
  '11.2': {
    check(request, premises) {
      const type = premises.typeOf.get(request.target) ?? '';
      if (!FIRMWARE_USE_CASE[type])
        throw new Refusal('E11', `11.2 reads the firmware of an ESME, GSME, Comms Hub, PPMID or HCALCS, not a ${type || 'device of unknown type'}`);
      const status = premises.smi.get(request.target);
      if (!status || !READABLE.has(status)) throw new Refusal('E5', `device ${request.target} is ${status ?? 'unknown'}: it cannot be read yet`);
    },
    answer(request, premises) {
      const useCase = FIRMWARE_USE_CASE[premises.typeOf.get(request.target) ?? '']!;
      const version = simulatedFirmwareVersion(premises.model, request.target);
      return {
        mmc: { kind: 'firmware-version', version },
        gbcs: { messageCode: useCase.messageCode, content: (keys) => useCase.content(version, keys.frameCounter) },
      };
    },
  },
};
