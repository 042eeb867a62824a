import { DongleDiscovery } from '../discovery/dongle-discovery';
import { silentLogger } from '../util/logger';
import type { CliCommand } from './cli-command';

/** `hantool dongles`: the discovery list as JSON (the same list the dongle panel shows, minus the emulators). */
export const donglesCommand: CliCommand = {
  name: 'dongles',
  usage: 'dongles                            list serial/HID dongles with their classification',
  async run(_args, io) {
    const list = await new DongleDiscovery({ log: silentLogger }).list();
    io.json(list);
    return 0;
  },
};
