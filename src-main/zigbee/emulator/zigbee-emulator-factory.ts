import type { EmulatorFactory } from '../../premises/emulator';
import { seDeviceSpecs } from './virtual-se-device';
import { ZnpEmulator } from './znp-emulator';
import type { EmulatorEvent } from './device-network';

/** Joins, rejoins and leaves per device and how often joining was opened: each side effect a host can cause twice. */
function countEvents(emulator: ZnpEmulator) {
  const counts = { joined: {} as Record<string, number>, rejoined: {} as Record<string, number>, left: {} as Record<string, number>, permitJoin: 0 };
  emulator.on('event', (event: EmulatorEvent) => {
    if (event.kind === 'permit-join' && event.seconds > 0) counts.permitJoin += 1;
    else if (event.kind === 'joined' || event.kind === 'rejoined' || event.kind === 'left')
      counts[event.kind][event.eui64] = (counts[event.kind][event.eui64] ?? 0) + 1;
  });
  return counts;
}

/** The training premises' ZigBee dongle: a Z-Stack ZNP coordinator on tcp://127.0.0.1:<port> with the premises' SE devices. */
export const zigbeeEmulatorFactory: EmulatorFactory = {
  name: 'zigbee',
  label: 'Z-Stack coordinator (emulated)',
  async start(context) {
    const emulator = await ZnpEmulator.start({
      devices: seDeviceSpecs(context.model.devices, context.model.rf),
      rf: context.model.rf,
      esmeRegister: context.model.esmeRegister,
      log: context.log,
      host: context.host,
      // Training: the gas meter wakes every second so a session does not wait minutes for its interview.
      sleepyPollMs: 1000,
    });
    const counts = countEvents(emulator);
    return {
      port: emulator.port,
      // `radio` is the RF model's impairment API (see radio-world.ts), for tests and the Settings screen.
      // `counters` is what the coordinator and the devices saw (`hantool sim`'s status endpoint shows it).
      details: {
        adapter: 'zstack',
        path: `tcp://${context.host}:${emulator.port}`,
        coordinatorIeee: emulator.ieee,
        radio: emulator.radio,
        counters: () => ({ ...counts, mtRequests: Object.fromEntries(emulator.exchangesByCommand) }),
      },
      stop: () => emulator.stop(),
    };
  },
};
