import { AppError } from '../../../src-shared/ipc/result';
import type { MbusService } from '../../mbus/mbus-service';
import type { HandlerGroup } from '../dispatch';

type MbusChannels =
  | 'mbus:status'
  | 'mbus:scanPrimary'
  | 'mbus:scanSecondary'
  | 'mbus:cancelScan'
  | 'mbus:read'
  | 'mbus:setPrimary'
  | 'mbus:heard'
  | 'mbus:setKey'
  | 'mbus:decode'
  | 'mbus:connect';

/** M-Bus screen handlers: wired scans and reads, the walk-by list, meter keys and the telegram decoder. */
export function createMbusHandlers(mbus: () => MbusService | undefined): HandlerGroup<MbusChannels> {
  const service = (): MbusService => {
    const s = mbus();
    if (!s) throw new AppError('MBUS_NOT_CONFIGURED', 'M-Bus is not available: no gateway, level converter or wM-Bus stick is configured.');
    return s;
  };
  return {
    'mbus:status': () => mbus()?.status() ?? {},
    'mbus:scanPrimary': (args) => service().scanPrimary(args),
    'mbus:scanSecondary': () => service().scanSecondary(),
    'mbus:cancelScan': () => mbus()?.cancelScan() ?? false,
    'mbus:read': (args) => service().read(args),
    'mbus:setPrimary': (args) => service().setPrimary(args),
    'mbus:heard': () => mbus()?.heard() ?? [],
    'mbus:setKey': ({ key, ...address }) => service().setKey(address, key),
    'mbus:decode': ({ hex, key }) => service().decode(hex, key),
    'mbus:connect': async ({ wired, wireless }) => {
      const s = service();
      if (wired) await s.connectWired(wired.target, wired.baudRate);
      if (wireless) await s.connectWireless(wireless.target);
      return s.status();
    },
  };
}
