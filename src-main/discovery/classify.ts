import type { DongleClassification } from '../../src-shared/model/dongle';
import { SHARED_USB_IDS, USB_FINGERPRINTS } from './usb-fingerprints';

export interface UsbIdentity {
  readonly vendorId?: string;
  readonly productId?: string;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly path?: string;
}

const normaliseId = (id: string | undefined): string | undefined => id?.toLowerCase().replace(/^0x/, '').padStart(4, '0');

/** Classifies a USB device from its VID:PID and strings, preferring a fingerprint whose strings match. */
export function classifyUsbDevice(device: UsbIdentity): DongleClassification {
  const vendorId = normaliseId(device.vendorId);
  const productId = normaliseId(device.productId);
  if (!vendorId || !productId) {
    return { kind: 'serial-device', certainty: 'possible', label: 'serial device (no USB identity: built-in or virtual port)', candidates: [] };
  }
  const haystack = [device.manufacturer, device.product, device.path].filter(Boolean).join(' ');
  const sameId = USB_FINGERPRINTS.filter((f) => f.vendorId === vendorId && f.productId === productId);
  const byStrings = sameId.find((f) => f.strings?.test(haystack));
  const key = `${vendorId}:${productId}`;
  const shared = SHARED_USB_IDS[key];
  if (byStrings) {
    return {
      kind: byStrings.kind,
      certainty: shared ? 'likely' : 'identified',
      label: byStrings.product,
      ...(byStrings.driver ? { driver: byStrings.driver } : {}),
      candidates: [byStrings.product],
    };
  }
  const unique = sameId.filter((f) => !f.strings);
  if (unique.length === 1 && !shared) {
    const only = unique[0]!;
    return { kind: only.kind, certainty: 'identified', label: only.product, ...(only.driver ? { driver: only.driver } : {}), candidates: [only.product] };
  }
  if (shared) {
    return { kind: 'serial-device', certainty: 'possible', label: `serial device: could be ${shared.join(', ')}`, candidates: shared };
  }
  return { kind: 'serial-device', certainty: 'possible', label: `serial device ${key}`, candidates: [] };
}
