import type { DongleDriver, DongleKind } from '../../src-shared/model/dongle';

/**
 * USB fingerprints of the dongles we drive. ZigBee entries follow the coordinators zigbee-herdsman knows
 * (its adapterDiscovery table); wM-Bus entries are the sticks' published VID:PIDs. A fingerprint with strings
 * (manufacturer/product/path) identifies a product; a bare shared VID:PID only narrows the candidates.
 */
export interface UsbFingerprint {
  readonly vendorId: string;
  readonly productId: string;
  readonly kind: DongleKind;
  readonly driver?: DongleDriver;
  readonly product: string;
  /** Case-insensitive match on manufacturer, product string or device path (by-id paths carry the strings). */
  readonly strings?: RegExp;
}

export const USB_FINGERPRINTS: readonly UsbFingerprint[] = [
  // ZigBee coordinators with a product-specific VID:PID.
  { vendorId: '1cf1', productId: '0030', kind: 'zigbee-coordinator', driver: 'deconz', product: 'dresden elektronik ConBee II' },
  { vendorId: '0451', productId: '16a8', kind: 'zigbee-coordinator', driver: 'zstack', product: 'Texas Instruments CC2531' },
  { vendorId: '0451', productId: '16c8', kind: 'zigbee-coordinator', driver: 'zstack', product: 'Texas Instruments CC2538' },
  { vendorId: '0451', productId: 'bef3', kind: 'zigbee-coordinator', driver: 'zstack', product: 'Texas Instruments CC1352/CC2652 LaunchPad' },
  { vendorId: '303a', productId: '4001', kind: 'zigbee-coordinator', driver: 'ember', product: 'Nabu Casa ZBT-2' },
  { vendorId: '303a', productId: '831a', kind: 'zigbee-coordinator', driver: 'ember', product: 'Nabu Casa ZBT-2' },
  { vendorId: '1a86', productId: '55d4', kind: 'zigbee-coordinator', driver: 'ember', product: 'SONOFF ZBDongle-E', strings: /itead|sonoff/i },
  { vendorId: '2fe3', productId: '0100', kind: 'zigbee-coordinator', driver: 'zboss', product: 'Nordic nRF52840 (ZBOSS NCP)', strings: /zephyr/i },
  // wM-Bus sticks.
  { vendorId: '10c4', productId: '87ed', kind: 'wmbus-stick', driver: 'imst', product: 'IMST iM871A' },
  { vendorId: '0403', productId: '6001', kind: 'wmbus-stick', driver: 'amber', product: 'Amber AMB8465', strings: /amb8465|amber/i },
  // Shared CP210x (10c4:ea60): only the strings tell these apart.
  { vendorId: '10c4', productId: 'ea60', kind: 'zigbee-coordinator', driver: 'ember', product: 'Nabu Casa SkyConnect / ZBT-1', strings: /nabu.?casa/i },
  {
    vendorId: '10c4',
    productId: 'ea60',
    kind: 'zigbee-coordinator',
    driver: 'ember',
    product: 'SONOFF ZBDongle-E / Dongle Max',
    strings: /sonoff.*(plus_v2|max|mg2[14])/i,
  },
  { vendorId: '10c4', productId: 'ea60', kind: 'zigbee-coordinator', driver: 'zstack', product: 'SONOFF ZBDongle-P', strings: /sonoff.*plus|itead/i },
  { vendorId: '10c4', productId: 'ea60', kind: 'zigbee-coordinator', driver: 'zstack', product: 'SMLIGHT SLZB-06p7/p10', strings: /slzb-0[67]p/i },
  { vendorId: '10c4', productId: 'ea60', kind: 'zigbee-coordinator', driver: 'ember', product: 'SMLIGHT SLZB-06M/07', strings: /slzb-0[67]/i },
  { vendorId: '10c4', productId: 'ea60', kind: 'zigbee-coordinator', driver: 'zigate', product: 'ZiGate (CP2102)', strings: /zigate/i },
  { vendorId: '067b', productId: '2303', kind: 'zigbee-coordinator', driver: 'zigate', product: 'ZiGate (PL2303)', strings: /zigate/i },
  { vendorId: '0403', productId: '6015', kind: 'zigbee-coordinator', driver: 'deconz', product: 'dresden elektronik ConBee', strings: /dresden|conbee/i },
  { vendorId: '0403', productId: '6015', kind: 'zigbee-coordinator', driver: 'zstack', product: 'Electrolama zzh', strings: /electrolama/i },
];

/**
 * VID:PIDs that many products share (USB-serial bridge chips). Without identifying strings a device on one of
 * these is a "serial device: could be …" until the engineer asks for a probe.
 */
export const SHARED_USB_IDS: Readonly<Record<string, readonly string[]>> = {
  '0403:6001': ['Amber AMB8465 wM-Bus stick', 'wired M-Bus level converter', 'ZigBee coordinator'],
  '0403:6015': ['ZigBee coordinator (ConBee, zzh, ZiGate+)', 'wired M-Bus level converter'],
  '10c4:ea60': ['ZigBee coordinator (SONOFF, SkyConnect, SLZB)', 'wired M-Bus level converter', 'wM-Bus stick'],
  '1a86:7523': ['ZigBee coordinator (CH340: TubesZB, ZigStar)', 'wired M-Bus level converter'],
  '067b:2303': ['ZiGate (PL2303)', 'wired M-Bus level converter'],
};
