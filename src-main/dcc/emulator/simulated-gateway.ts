import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import type { PremisesModel } from '../../premises/premises-model';
import { testDccSigners, testKeyProvider } from '../credentials';
import type { DccGateway } from '../dcc-gateway';
import { createDirectDuisGateway } from '../direct-gateway';
import { gbcsKeySource } from '../gbcs/key-source';
import { startResponseListener } from '../response-listener';
import { createHttpsTransport } from '../transport';
import { startDccSimulator, type DccSimulator } from './dcc-simulator';

export interface SimulatedGateway {
  readonly simulator: DccSimulator;
  readonly gateway: DccGateway;
  /** Closes the gateway, the listener and the simulator, in that order. */
  stop(): Promise<void>;
}

/**
 * A direct DUIS gateway wired to a DCC simulator over loopback TLS with the ZAZ1 test credentials: the rig that
 * benchmarks and tests use to exercise the whole path (sign → HTTPS → I99 → signed async response → correlate).
 */
export async function startSimulatedGateway(options: {
  model: PremisesModel;
  dataDir: string;
  responseDelayMs?: number;
  responseTimeoutMs?: number;
}): Promise<SimulatedGateway> {
  const simulator = await startDccSimulator({
    model: options.model,
    ...(options.responseDelayMs !== undefined ? { responseDelayMs: options.responseDelayMs } : {}),
  });
  // The app's side of GBCS: the ZAZ1 test User's keys and the device certificates it fetches from the simulator's SMKI.
  const gbcsKeys = gbcsKeySource({
    certificatesDir: join(options.dataDir, 'device-certificates'),
    testCredentials: true,
    smki: { baseUrl: simulator.smkiUrl, ca: simulator.tls.caCert },
    smkiDeviceCa: [new X509Certificate(simulator.devicePki.caCertificate)],
  });
  const listener = await startResponseListener({ signers: testDccSigners(), gbcsKeys });
  simulator.setReceiveResponseUrl(listener.url);
  const gateway = createDirectDuisGateway({
    dataDir: options.dataDir,
    transport: createHttpsTransport({ baseUrl: simulator.baseUrl, ca: simulator.tls.caCert }),
    keys: testKeyProvider,
    dccSigners: testDccSigners(),
    dccId: simulator.dccId,
    listener,
    retryIntervalMs: 0,
    gbcsKeys,
    ...(options.responseTimeoutMs !== undefined ? { responseTimeoutMs: options.responseTimeoutMs } : {}),
  });
  return {
    simulator,
    gateway,
    async stop() {
      await gateway.close();
      await listener.close();
      await simulator.stop();
    },
  };
}
