import { SerialPort } from 'serialport';
import type { DongleInfo, DongleList, HidAvailability, TcpAdapterInput } from '../../src-shared/model/dongle';
import type { Logger } from '../util/logger';
import { classifyUsbDevice } from './classify';
import { loadHid, type HidDeviceInfo } from './hid-loader';

export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  pnpId?: string;
}

/** Sources are injectable so tests can plug and unplug devices. */
export interface DiscoverySources {
  listSerial(): Promise<SerialPortInfo[]>;
  listHid(): Promise<{ devices: HidDeviceInfo[]; availability: HidAvailability }>;
}

export const systemSources: DiscoverySources = {
  listSerial: () => SerialPort.list(),
  async listHid() {
    const { module, availability } = await loadHid();
    if (!module) return { devices: [], availability };
    try {
      return { devices: await module.devicesAsync(), availability };
    } catch (error) {
      return { devices: [], availability: { available: false, reason: `HID enumeration failed: ${(error as Error).message}` } };
    }
  },
};

export type DongleChange = { readonly type: 'added' | 'removed'; readonly dongle: DongleInfo };

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

function fromSerial(port: SerialPortInfo, inUse: boolean): DongleInfo {
  const identity = { vendorId: port.vendorId, productId: port.productId, manufacturer: port.manufacturer, path: `${port.path} ${port.pnpId ?? ''}` };
  return {
    id: `serial:${port.path}`,
    source: 'serial',
    path: port.path,
    ...(port.vendorId ? { vendorId: port.vendorId.toLowerCase() } : {}),
    ...(port.productId ? { productId: port.productId.toLowerCase() } : {}),
    ...(port.manufacturer ? { manufacturer: port.manufacturer } : {}),
    ...(port.serialNumber ? { serialNumber: port.serialNumber } : {}),
    classification: classifyUsbDevice(identity),
    inUse,
  };
}

function fromHid(device: HidDeviceInfo): DongleInfo {
  const vendorId = hex4(device.vendorId);
  const productId = hex4(device.productId);
  const classification = classifyUsbDevice({ vendorId, productId, manufacturer: device.manufacturer, product: device.product });
  return {
    id: `hid:${device.path ?? `${vendorId}:${productId}:${device.serialNumber ?? ''}`}`,
    source: 'hid',
    path: device.path ?? '',
    vendorId,
    productId,
    ...(device.manufacturer ? { manufacturer: device.manufacturer } : {}),
    ...(device.product ? { product: device.product } : {}),
    ...(device.serialNumber ? { serialNumber: device.serialNumber } : {}),
    // HID devices we do not recognise (keyboards, mice) are not dongles: keep only known ones.
    classification: classification.certainty === 'possible' ? { ...classification, kind: 'hid-device' } : classification,
    inUse: false,
  };
}

function fromTcp(input: TcpAdapterInput): DongleInfo {
  const address = input.address.replace(/^tcp:\/\//, '');
  const product =
    input.kind === 'zigbee-coordinator' ? 'network ZigBee coordinator' : input.kind === 'wmbus-stick' ? 'wM-Bus stick behind a serial server' : 'M-Bus gateway';
  return {
    id: `tcp:${address}`,
    source: 'tcp',
    path: `tcp://${address}`,
    classification: {
      kind: input.kind,
      certainty: 'likely',
      label: `${product} at ${address}`,
      ...(input.driver ? { driver: input.driver } : {}),
      candidates: [product],
    },
    inUse: false,
  };
}

export interface DongleDiscoveryOptions {
  log: Logger;
  sources?: DiscoverySources;
  /** Emulated dongles of the running training premises (they appear in the same list). */
  emulated?: () => readonly DongleInfo[];
  /** Paths a driver currently holds open. */
  inUse?: () => ReadonlySet<string>;
}

/**
 * Lists dongles (serial, HID, TCP entered by hand, emulated) and reports hotplug by polling: USB events are not
 * portable across Windows/Linux without native helpers, and a 2 s poll is cheap.
 */
export class DongleDiscovery {
  readonly #options: DongleDiscoveryOptions;
  readonly #sources: DiscoverySources;
  readonly #tcp = new Map<string, TcpAdapterInput>();
  readonly #listeners = new Set<(change: DongleChange) => void>();
  #known = new Map<string, DongleInfo>();
  #hid: HidAvailability = { available: false, reason: 'not enumerated yet' };
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #listing: Promise<DongleList> | undefined;

  constructor(options: DongleDiscoveryOptions) {
    this.#options = options;
    this.#sources = options.sources ?? systemSources;
  }

  onChange(listener: (change: DongleChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  addTcpAdapter(input: TcpAdapterInput): DongleInfo {
    const dongle = fromTcp(input);
    this.#tcp.set(dongle.id, input);
    return dongle;
  }

  removeTcpAdapter(id: string): boolean {
    return this.#tcp.delete(id);
  }

  /**
   * Enumerates everything now, emits added/removed against the previous list, and returns the list. Callers
   * that arrive while an enumeration runs share it: the OS listing opens descriptors and spawns helpers, and a
   * burst of calls must not multiply them. A failing source yields an empty part, never a rejection.
   */
  list(): Promise<DongleList> {
    this.#listing ??= this.#enumerate().finally(() => (this.#listing = undefined));
    return this.#listing;
  }

  async #enumerate(): Promise<DongleList> {
    const inUse = this.#options.inUse?.() ?? new Set<string>();
    const [serial, hid] = await Promise.all([
      this.#sources.listSerial().catch((error: Error) => {
        this.#options.log.warn('serial port enumeration failed', { error });
        return [] as SerialPortInfo[];
      }),
      this.#sources.listHid().catch((error: Error) => ({
        devices: [] as HidDeviceInfo[],
        availability: { available: false, reason: `HID enumeration failed: ${error.message}` } as HidAvailability,
      })),
    ]);
    this.#hid = hid.availability;
    const emulated = this.#options.emulated?.() ?? [];
    const dongles: DongleInfo[] = [
      ...serial.map((port) => fromSerial(port, inUse.has(port.path))),
      ...hid.devices.map(fromHid).filter((d) => d.classification.kind !== 'hid-device'),
      ...[...this.#tcp.values()].map(fromTcp).map((d) => ({ ...d, inUse: inUse.has(d.path) })),
      ...emulated.map((d) => ({ ...d, inUse: d.inUse || inUse.has(d.path) })),
    ];
    this.#diff(dongles);
    return { dongles, hid: this.#hid, trainingPremises: emulated.length > 0 };
  }

  #diff(dongles: DongleInfo[]): void {
    const next = new Map(dongles.map((d) => [d.id, d]));
    for (const [id, dongle] of this.#known) if (!next.has(id)) this.#emit({ type: 'removed', dongle });
    for (const [id, dongle] of next) if (!this.#known.has(id)) this.#emit({ type: 'added', dongle });
    this.#known = next;
  }

  #emit(change: DongleChange): void {
    for (const listener of [...this.#listeners]) listener(change);
  }

  /** True when at least one real (non-emulated) ZigBee coordinator or M-Bus/wM-Bus dongle is attached. */
  hasRealDongle(): boolean {
    return [...this.#known.values()].some(
      (d) => d.source !== 'emulated' && d.classification.kind !== 'serial-device' && d.classification.kind !== 'hid-device',
    );
  }

  startPolling(intervalMs = 2000): void {
    if (this.#timer) return;
    const tick = (): void => {
      this.#polling ??= this.list()
        .then(() => undefined)
        .catch((error: Error) => this.#options.log.warn('dongle poll failed', { error }))
        .finally(() => (this.#polling = undefined));
    };
    tick();
    this.#timer = setInterval(tick, intervalMs);
    this.#timer.unref();
  }

  async stopPolling(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#polling;
  }
}
