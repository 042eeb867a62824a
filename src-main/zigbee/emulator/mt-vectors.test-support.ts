import { createPremisesModel } from '../../premises/premises-model';
import { silentLogger } from '../../util/logger';
import { MtClient } from './mt-client.test-support';
import { seDeviceSpecs } from './virtual-se-device';
import { ZnpEmulator } from './znp-emulator';

/** A factory-new emulated dongle (fixed EUI-64 00124B0018ED1A5C, premises seed 3) and a raw MT client on it. */
export async function bareDongle(): Promise<{ emulator: ZnpEmulator; client: MtClient; close(): Promise<void> }> {
  const model = createPremisesModel(3, 0);
  const emulator = await ZnpEmulator.start({
    devices: seDeviceSpecs(model.devices, model.rf),
    rf: model.rf,
    esmeRegister: model.esmeRegister,
    log: silentLogger,
  });
  const client = await MtClient.open(emulator.port);
  return {
    emulator,
    client,
    async close() {
      client.close();
      await emulator.stop();
    },
  };
}
