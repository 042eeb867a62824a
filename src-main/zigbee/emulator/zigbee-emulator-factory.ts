import type { EmulatorFactory } from '../../premises/emulator';
import { seDeviceSpecs } from './virtual-se-device';
import { ZnpEmulator } from './znp-emulator';

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
    return {
      port: emulator.port,
      // `radio` is the RF model's impairment API (see radio-world.ts), for tests and the Settings screen.
      details: { adapter: 'zstack', path: `tcp://${context.host}:${emulator.port}`, coordinatorIeee: emulator.ieee, radio: emulator.radio },
      stop: () => emulator.stop(),
    };
  },
};
