import type { DeviceLink } from '../../../link/device-link';
import { AmberStick } from './amber';
import { Im871aStick } from './imst';
import type { WmbusStick } from './stick';

export interface UsbHint {
  readonly vendorId?: string;
  readonly productId?: string;
  readonly manufacturer?: string;
  readonly product?: string;
}

/**
 * Identifies a wM-Bus stick on an open link. USB strings only set the order of the probes: VID/PIDs such as
 * 0403:6001 and 10c4:ea60 are shared with ZigBee sticks and wired masters, so only an answer to the stick's own
 * protocol counts (Amber GET, then iM871A PING).
 */
export async function probeStick(link: DeviceLink, hint: UsbHint = {}, options: { timeoutMs?: number } = {}): Promise<WmbusStick | undefined> {
  const text = `${hint.manufacturer ?? ''} ${hint.product ?? ''}`.toLowerCase();
  const imstFirst = (hint.vendorId === '10c4' && hint.productId === '87ed') || /imst|im871|im170|wireless adapter/.test(text);
  const order = imstFirst ? ['imst', 'amber'] : ['amber', 'imst'];
  for (const kind of order) {
    const stick = kind === 'amber' ? new AmberStick(link, options) : new Im871aStick(link, options);
    if (await stick.probe()) return stick;
    stick.detach();
  }
  return undefined;
}
