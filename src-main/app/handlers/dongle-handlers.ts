import { AppError } from '../../../src-shared/ipc/result';
import type { DongleDiscovery } from '../../discovery/dongle-discovery';
import type { ProbeRunner } from '../../discovery/probe';
import type { HandlerGroup } from '../dispatch';

export function createDongleHandlers(
  discovery: DongleDiscovery,
  probes: ProbeRunner,
): HandlerGroup<'dongles:list' | 'dongles:addTcp' | 'dongles:removeTcp' | 'dongles:probe'> {
  return {
    'dongles:list': () => discovery.list(),
    'dongles:addTcp': async (input) => {
      const dongle = discovery.addTcpAdapter(input);
      await discovery.list(); // emits "added" to every renderer
      return dongle;
    },
    'dongles:removeTcp': async ({ id }) => {
      const removed = discovery.removeTcpAdapter(id);
      await discovery.list();
      return removed;
    },
    'dongles:probe': async ({ id }) => {
      const list = await discovery.list();
      const dongle = list.dongles.find((d) => d.id === id);
      if (!dongle) throw new AppError('NOT_FOUND', `No dongle ${id} is attached any more.`);
      if (dongle.inUse) throw new AppError('IN_USE', `${dongle.path} is in use; probing it could reset the dongle. Stop what uses it first.`);
      if (dongle.source === 'hid') throw new AppError('UNSUPPORTED', 'HID devices are identified by their USB strings; no active probe exists for them.');
      return probes.probe(dongle);
    },
  };
}
