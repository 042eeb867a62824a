import type { EmulatorFactory } from '../../premises/emulator';
import { startDccSimulator } from './dcc-simulator';

/**
 * The DCC simulator as a training-premises emulator. `details` carries what a client needs to talk to it (base
 * URL, the start-up CA, the test identities) and the simulator itself, so the app can point it at its
 * receive-response listener and trainers can inject faults.
 */
export const dccEmulatorFactory: EmulatorFactory = {
  name: 'dcc',
  label: 'DCC (DCC Boxed–style simulator, test credentials)',
  async start(context) {
    const simulator = await startDccSimulator({ model: context.model, host: context.host, log: context.log });
    return {
      port: simulator.port,
      details: {
        baseUrl: simulator.baseUrl,
        caCert: simulator.tls.caCert,
        userId: simulator.userId,
        dccId: simulator.dccId,
        testCredentials: true,
        simulator,
      },
      stop: () => simulator.stop(),
    };
  },
};
