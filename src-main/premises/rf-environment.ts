import { installCodeCrcHex } from '../../src-shared/model/install-code-crc';
import { randomHex, seededRandom } from '../util/seeded-random';
import type { VirtualDevice } from './premises-model';

/**
 * The training premises' static radio environment on 2.4 GHz, drawn from its own seeded stream (never from the
 * stream that makes the premises' devices and registers, so a seed keeps the devices it always had):
 * - Wi-Fi: the household's access point on Wi-Fi channel 1 (it covers ZigBee 11–14) and a neighbour's on 6 or 11
 *   (ZigBee 16–19 or 21–24). A Wi-Fi channel n is centred on 2407 + 5n MHz and about 22 MHz wide; ZigBee channel k
 *   on 2405 + 5(k − 11) MHz, 2 MHz wide.
 * - Two ZigBee networks nearby: the premises' own Comms Hub (extended PAN ID = the GPF ID printed on the hub) and a
 *   neighbour's network (a coordinator and a router with an end device behind it) on another channel.
 * - How well each premises device hears the coordinator's position (the meter cupboard), as LQI. The gas meter is
 *   far from it and joins through the electricity meter (a router), so tables have depth.
 * Energy values are what a Z-Stack MAC energy scan reports (0–255); no RSSI is modelled, as Z-Stack's MT reports none.
 */

export interface BeaconingNode {
  readonly nwkAddress: number;
  /** 0 for a coordinator, 1 for a router joined to it. */
  readonly depth: number;
  /** LQI at which the engineer's coordinator hears this node's beacon. */
  readonly lqi: number;
  readonly routerCapacity: boolean;
  readonly deviceCapacity: boolean;
}

export interface NearbyNetwork {
  readonly name: 'comms-hub' | 'neighbour';
  readonly channel: number;
  readonly panId: number;
  /** 16 upper-case hex digits, most significant first (as printed). */
  readonly extendedPanId: string;
  readonly permitJoin: boolean;
  /** Nodes that answer a beacon request (the coordinator and any routers). */
  readonly beaconing: readonly BeaconingNode[];
  /** End devices (they never beacon), behind the last router. */
  readonly endDevices: number;
}

export interface WifiAccessPoint {
  readonly who: 'household' | 'neighbour';
  readonly wifiChannel: number;
  /** Energy (0–255) a ZigBee radio detects at the Wi-Fi channel's centre. */
  readonly peakEnergy: number;
}

export type PremisesZigbeeType = 'ESME' | 'GSME' | 'IHD' | 'PPMID';

export interface RfEnvironment {
  readonly wifi: readonly WifiAccessPoint[];
  /** Energy detected per ZigBee channel, index 0 = channel 11 … index 15 = channel 26 (0–255, as Z-Stack reports). */
  readonly energy: readonly number[];
  readonly networks: readonly NearbyNetwork[];
  /** LQI of each device's link to its parent (the coordinator, or the ESME for the gas meter). */
  readonly linkLqi: Readonly<Record<PremisesZigbeeType, number>>;
  /** The Comms Hub's Gas Proxy Function: its ID is printed on the hub and is the hub network's extended PAN ID. */
  readonly gpf: VirtualDevice;
}

export const ZIGBEE_CHANNELS: readonly number[] = Array.from({ length: 16 }, (_, i) => 11 + i);

/** Centre frequencies (MHz). */
export const zigbeeChannelMhz = (channel: number): number => 2405 + 5 * (channel - 11);
export const wifiChannelMhz = (channel: number): number => 2407 + 5 * channel;

/** Whether a 22 MHz Wi-Fi channel covers a 2 MHz ZigBee channel. */
export function wifiOverlaps(wifiChannel: number, zigbeeChannel: number): boolean {
  return Math.abs(wifiChannelMhz(wifiChannel) - zigbeeChannelMhz(zigbeeChannel)) <= 12;
}

/** The RF stream: seeded from the premises seed but independent of the device stream. */
export function rfRandom(seed: number): () => number {
  return seededRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x52462d31) >>> 0);
}

export function createRfEnvironment(seed: number): RfEnvironment {
  const random = rfRandom(seed);
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const gpf = gpfDevice(random);
  const wifi: WifiAccessPoint[] = [
    { who: 'household', wifiChannel: 1, peakEnergy: between(170, 215) },
    { who: 'neighbour', wifiChannel: random() < 0.5 ? 6 : 11, peakEnergy: between(70, 110) },
  ];
  const hubChannel = [15, 20, 25][between(0, 2)]!;
  const neighbourChannel = [19, 24, 26].filter((c) => c !== hubChannel)[between(0, 1)]!;
  const networks: NearbyNetwork[] = [
    {
      name: 'comms-hub',
      channel: hubChannel,
      panId: between(0x0001, 0xfff0),
      extendedPanId: gpf.eui64,
      permitJoin: false,
      beaconing: [{ nwkAddress: 0x0000, depth: 0, lqi: between(205, 245), routerCapacity: true, deviceCapacity: true }],
      endDevices: 0,
    },
    {
      name: 'neighbour',
      channel: neighbourChannel,
      panId: between(0x0001, 0xfff0),
      extendedPanId: randomHex(random, 8),
      permitJoin: false,
      beaconing: [
        { nwkAddress: 0x0000, depth: 0, lqi: between(35, 70), routerCapacity: true, deviceCapacity: true },
        { nwkAddress: between(0x0001, 0xfff7), depth: 1, lqi: between(70, 115), routerCapacity: true, deviceCapacity: true },
      ],
      endDevices: 1,
    },
  ];
  const energy = ZIGBEE_CHANNELS.map((channel) => {
    let level = between(4, 24); // the receiver's own noise floor and distant sources
    for (const ap of wifi) {
      if (!wifiOverlaps(ap.wifiChannel, channel)) continue;
      const offset = Math.abs(wifiChannelMhz(ap.wifiChannel) - zigbeeChannelMhz(channel));
      level = Math.max(level, Math.round(ap.peakEnergy * (1 - offset / 24)));
    }
    if (networks.some((n) => n.channel === channel)) level += between(10, 25); // the other network's traffic
    return Math.min(255, level);
  });
  return {
    wifi,
    energy,
    networks,
    linkLqi: { ESME: between(190, 235), IHD: between(125, 175), PPMID: between(100, 150), GSME: between(75, 110) },
    gpf,
  };
}

function gpfDevice(random: () => number): VirtualDevice {
  const eui64 = randomHex(random, 8);
  const installCode = randomHex(random, 16);
  const crc = installCodeCrcHex(Uint8Array.from(Buffer.from(installCode, 'hex')));
  return { type: 'GPF', eui64, installCode, installCodeCrc: crc, label: `Z:${eui64}$I:${installCode}${crc}`, sleepy: false };
}
