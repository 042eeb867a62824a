import { esmeImportWh, type EsmeRegister, type VirtualDevice } from '../../premises/premises-model';
import type { RfEnvironment } from '../../premises/rf-environment';
import { ZclType, type ZclValue } from './zcl-codec';

/** Smart Energy profile and the device ids the virtual devices announce (SE 1.2 device ids). */
export const SE_PROFILE = 0x0109;
export const SE_DEVICE_ID = { ESME: 0x0501, GSME: 0x0501, IHD: 0x0502, PPMID: 0x0506 } as const;
export const CLUSTER = { BASIC: 0x0000, IDENTIFY: 0x0003, TIME: 0x000a, PREPAYMENT: 0x0705, METERING: 0x0702 } as const;

/**
 * The IHD proves receipt of meter reports through its own attributes on Basic (manufacturer range 0xFFF0…):
 * 0xFFF0 number of Metering reports received, 0xFFF1 last CurrentSummationDelivered received, 0xFFF2 EUI-64 of the
 * meter that sent it. The app reads them with the SE profile to prove a pairing.
 */
export const IHD_ATTR = { REPORTS_RECEIVED: 0xfff0, LAST_SUMMATION: 0xfff1, LAST_SOURCE: 0xfff2 } as const;

export type SeDeviceType = 'ESME' | 'GSME' | 'IHD' | 'PPMID';

export interface Attribute {
  readonly type: number;
  read(): ZclValue;
}

export interface Binding {
  readonly srcEndpoint: number;
  readonly clusterId: number;
  readonly dstIeee: string;
  readonly dstEndpoint: number;
}

export interface ReportingEntry {
  readonly clusterId: number;
  readonly attrId: number;
  readonly type: number;
  readonly minInterval: number;
  readonly maxInterval: number;
}

/** What a virtual device is, as built from the premises model (or by a test/benchmark). */
export interface VirtualSeDeviceSpec {
  readonly type: SeDeviceType;
  readonly eui64: string;
  readonly installCode: string;
  readonly installCodeCrc: string;
  readonly sleepy: boolean;
  /** Fault injection: the device joins but never answers its node descriptor request. */
  readonly answersNodeDescriptor?: boolean;
  /** Fault injection: Metering attributes this meter does not implement (answered UNSUPPORTED_ATTRIBUTE). */
  readonly missingMeteringAttributes?: readonly number[];
  /** LQI of the link to its parent, from the premises' RF environment. */
  readonly lqi?: number;
  /** The router this device joins through when that router is on the air (the gas meter behind the ESME). */
  readonly parentEui64?: string;
}

/** Options shared by every virtual device of one emulator. */
export interface VirtualDeviceEnvironment {
  readonly now: () => number;
  readonly esmeRegister: EsmeRegister;
  /** Gas register base in dm³ (litres) at the register epoch; flows at `gasFlowLitresPerHour`. */
  readonly gasBaseLitres: number;
  readonly gasFlowLitresPerHour: number;
}

/** A virtual SE device: its join state, descriptors, ZCL attributes, bindings and what it received. */
export class VirtualSeDevice {
  readonly spec: VirtualSeDeviceSpec;
  readonly endpoint = 1;
  nwkAddress = 0;
  /** Network address of the parent: 0x0000 (the coordinator) or the router it joined through. */
  parentNwk = 0;
  joined = false;
  powered = true;
  /** Told to leave (e.g. refused by the app's device log): stays off until joining is opened again. */
  leftOnRequest = false;
  lqi: number;
  readonly bindings: Binding[] = [];
  readonly reporting = new Map<string, ReportingEntry>();
  readonly clusters = new Map<number, Map<number, Attribute>>();
  readonly inClusters: number[];
  readonly outClusters: number[];
  /** IHD only: what it has received. */
  readonly received = { reports: 0, lastSummation: 0, lastSource: '0000000000000000' };

  constructor(spec: VirtualSeDeviceSpec, env: VirtualDeviceEnvironment, index: number) {
    this.spec = spec;
    this.lqi = spec.lqi ?? Math.max(60, 200 - index * 7);
    const basic = new Map<number, Attribute>([
      [0x0000, constant(ZclType.UINT8, 3)], // ZCLVersion
      [0x0001, constant(ZclType.UINT8, 1)], // ApplicationVersion
      [0x0002, constant(ZclType.UINT8, 2)], // StackVersion
      [0x0003, constant(ZclType.UINT8, 1)], // HWVersion
      [0x0004, constant(ZclType.CHAR_STR, 'HAN Training')], // ManufacturerName
      [0x0005, constant(ZclType.CHAR_STR, `Virtual ${spec.type}`)], // ModelIdentifier
      [0x0006, constant(ZclType.CHAR_STR, '20260101')], // DateCode
      [0x0007, constant(ZclType.ENUM8, spec.sleepy ? 0x03 : 0x01)], // PowerSource: battery / mains
      [0x4000, constant(ZclType.CHAR_STR, 'emu-1.0')], // SWBuildID
    ]);
    this.clusters.set(CLUSTER.BASIC, basic);
    const time = new Map<number, Attribute>([
      [0x0000, { type: ZclType.UTC, read: () => Math.floor((env.now() - Date.UTC(2000, 0, 1)) / 1000) }],
      [0x0001, constant(ZclType.BITMAP8, 0x02)], // TimeStatus: synchronised
    ]);
    if (spec.type === 'ESME' || spec.type === 'GSME') {
      const gas = spec.type === 'GSME';
      const summation = gas
        ? () => Math.floor(env.gasBaseLitres + (env.gasFlowLitresPerHour * Math.max(0, env.now() - env.esmeRegister.epochMs)) / 3_600_000)
        : () => esmeImportWh(env.esmeRegister, env.now());
      this.clusters.set(CLUSTER.TIME, time);
      this.clusters.set(
        CLUSTER.METERING,
        new Map<number, Attribute>([
          [0x0000, { type: ZclType.UINT48, read: summation }], // CurrentSummationDelivered (Wh or litres)
          [0x0200, constant(ZclType.BITMAP8, 0)], // Status
          [0x0300, constant(ZclType.ENUM8, gas ? 1 : 0)], // UnitOfMeasure: m³ / kWh
          [0x0301, constant(ZclType.UINT24, 1)], // Multiplier
          [0x0302, constant(ZclType.UINT24, 1000)], // Divisor: Wh → kWh, litres → m³
          [0x0303, constant(ZclType.BITMAP8, gas ? 0x2b : 0x33)], // SummationFormatting: 5/6 left, 3 right
          [0x0306, constant(ZclType.BITMAP8, gas ? 1 : 0)], // MeteringDeviceType: gas / electric
          [0x0400, { type: ZclType.INT24, read: () => (gas ? 0 : env.esmeRegister.demandW) }], // InstantaneousDemand (W)
        ]),
      );
      for (const id of spec.missingMeteringAttributes ?? []) this.clusters.get(CLUSTER.METERING)!.delete(id);
      this.inClusters = [CLUSTER.BASIC, CLUSTER.IDENTIFY, CLUSTER.TIME, CLUSTER.METERING];
      this.outClusters = [CLUSTER.TIME];
    } else if (spec.type === 'IHD') {
      basic.set(IHD_ATTR.REPORTS_RECEIVED, { type: ZclType.UINT16, read: () => this.received.reports });
      basic.set(IHD_ATTR.LAST_SUMMATION, { type: ZclType.UINT48, read: () => this.received.lastSummation });
      basic.set(IHD_ATTR.LAST_SOURCE, { type: ZclType.EUI64, read: () => this.received.lastSource });
      this.inClusters = [CLUSTER.BASIC, CLUSTER.IDENTIFY];
      this.outClusters = [CLUSTER.TIME, CLUSTER.METERING];
    } else {
      this.inClusters = [CLUSTER.BASIC, CLUSTER.IDENTIFY];
      this.outClusters = [CLUSTER.TIME, CLUSTER.METERING, CLUSTER.PREPAYMENT];
    }
    if (!this.clusters.has(CLUSTER.IDENTIFY)) this.clusters.set(CLUSTER.IDENTIFY, new Map([[0x0000, constant(ZclType.UINT16, 0)]]));
  }

  get eui64(): string {
    return this.spec.eui64;
  }

  get deviceId(): number {
    return SE_DEVICE_ID[this.spec.type];
  }

  /** Sleepy end devices are ZigBee end devices; the others are mains-powered routers. */
  get logicalType(): 0 | 1 | 2 {
    return this.spec.sleepy ? 2 : 1;
  }

  /** MAC capability flags as in the device announce: router, mains, rx-on-when-idle, allocate address. */
  get capabilities(): number {
    return this.spec.sleepy ? 0x80 : 0x8e;
  }

  /** The IHD records a Metering report delivered to it through a binding. */
  recordReport(source: string, records: readonly { attrId: number; value: ZclValue }[]): void {
    const summation = records.find((r) => r.attrId === 0x0000);
    if (!summation) return;
    this.received.reports += 1;
    this.received.lastSummation = Number(summation.value);
    this.received.lastSource = source;
  }
}

function constant(type: number, value: ZclValue): Attribute {
  return { type, read: () => value };
}

/** The ZigBee devices of the premises model: every device except the Comms Hub (which is a coordinator itself). */
export function seDeviceSpecs(devices: readonly VirtualDevice[], rf?: RfEnvironment): VirtualSeDeviceSpec[] {
  const esme = devices.find((d) => d.type === 'ESME');
  return devices
    .filter((d): d is VirtualDevice & { type: SeDeviceType } => d.type === 'ESME' || d.type === 'GSME' || d.type === 'IHD' || d.type === 'PPMID')
    .map((d) => ({
      type: d.type,
      eui64: d.eui64,
      installCode: d.installCode,
      installCodeCrc: d.installCodeCrc,
      sleepy: d.sleepy,
      ...(rf ? { lqi: rf.linkLqi[d.type] } : {}),
      // The gas meter is far from the meter cupboard's coordinator and joins through the electricity meter.
      ...(d.type === 'GSME' && esme ? { parentEui64: esme.eui64 } : {}),
    }));
}
