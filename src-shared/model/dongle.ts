import { z } from 'zod';

/** What a discovered device is, as far as we can tell without talking to it. */
export const dongleKinds = ['zigbee-coordinator', 'wmbus-stick', 'mbus-converter', 'serial-device', 'hid-device'] as const;
export type DongleKind = (typeof dongleKinds)[number];

/** zigbee-herdsman adapter names, plus the wM-Bus stick protocols we drive. */
export const dongleDrivers = ['zstack', 'ember', 'deconz', 'zigate', 'zboss', 'amber', 'imst', 'mbus-serial'] as const;
export type DongleDriver = (typeof dongleDrivers)[number];

/**
 * identified: the fingerprint names one product; likely: vendor strings point to one; possible: a shared
 * VID:PID (FTDI 0403:6001, CP210x 10c4:ea60 …) that only an engineer-requested probe can settle.
 */
export type Certainty = 'identified' | 'likely' | 'possible';

export interface DongleClassification {
  readonly kind: DongleKind;
  readonly certainty: Certainty;
  /** e.g. "Texas Instruments CC2531 (Z-Stack)" or "serial device: could be Amber AMB8465, M-Bus level converter". */
  readonly label: string;
  readonly driver?: DongleDriver;
  /** For "possible": the products it could be. */
  readonly candidates: readonly string[];
}

export type DongleSource = 'serial' | 'hid' | 'tcp' | 'emulated';

export interface DongleInfo {
  /** Stable key: "serial:/dev/ttyUSB0", "hid:<path>", "tcp:host:port", "emulated:zigbee". */
  readonly id: string;
  readonly source: DongleSource;
  /** What to open: a device path or tcp://host:port. */
  readonly path: string;
  readonly vendorId?: string;
  readonly productId?: string;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly serialNumber?: string;
  readonly classification: DongleClassification;
  /** Open by us (a driver holds it); probes never touch such a port. */
  readonly inUse: boolean;
}

export interface HidAvailability {
  readonly available: boolean;
  /** Why HID enumeration is unavailable, e.g. "libusb-1.0 is not installed (libusb-1.0.so.0: cannot open …)". */
  readonly reason?: string;
}

export interface DongleList {
  readonly dongles: readonly DongleInfo[];
  readonly hid: HidAvailability;
  /** True when the list includes the training premises' emulated dongles. */
  readonly trainingPremises: boolean;
}

/** A network adapter the engineer enters by hand: host:port (network coordinators, M-Bus gateways). */
export const tcpAdapterInput = z.object({
  address: z
    .string()
    .trim()
    .regex(/^(?:tcp:\/\/)?[A-Za-z0-9.-]+:\d{1,5}$/, 'enter the adapter as host:port, for example 192.0.2.10:6638'),
  kind: z.enum(['zigbee-coordinator', 'wmbus-stick', 'mbus-converter']),
  driver: z.enum(dongleDrivers).optional(),
});
export type TcpAdapterInput = z.infer<typeof tcpAdapterInput>;
