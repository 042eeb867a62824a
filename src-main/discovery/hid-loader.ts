import type { HidAvailability } from '../../src-shared/model/dongle';

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
}

interface HidModule {
  devicesAsync(): Promise<HidDeviceInfo[]>;
}

let cached: { module?: HidModule; availability: HidAvailability } | undefined;

/**
 * node-hid links libusb-1.0 and libudev; loading it lazily means a laptop without libusb still starts, and the
 * dongle panel says why HID is unavailable instead of the whole app failing.
 */
export async function loadHid(importer: () => Promise<unknown> = () => import('node-hid')): Promise<{ module?: HidModule; availability: HidAvailability }> {
  if (cached) return cached;
  try {
    const loaded = (await importer()) as HidModule & { default?: HidModule };
    const module = typeof loaded.devicesAsync === 'function' ? loaded : loaded.default;
    if (!module || typeof module.devicesAsync !== 'function') throw new Error('node-hid has no devicesAsync()');
    cached = { module, availability: { available: true } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = /libusb/i.test(message)
      ? `libusb-1.0 is not installed (${message.split('\n')[0]}); install it (Debian/Ubuntu: apt-get install libusb-1.0-0)`
      : `the HID module could not be loaded: ${message.split('\n')[0]}`;
    cached = { availability: { available: false, reason } };
  }
  return cached;
}

/** For tests: forget the cached module so a different importer can be tried. */
export function resetHidLoader(): void {
  cached = undefined;
}
