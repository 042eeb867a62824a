import { join } from 'node:path';
import type { DccRequestView, DccStatus } from '../../src-shared/ipc/channels/dcc';
import { esmeImportWh } from '../premises/premises-model';
import type { RunningPremises } from '../premises/training-premises';
import type { Logger } from '../util/logger';
import { testDccSigners, testKeyProvider } from './credentials';
import type { DccGateway, DccRequestRecord } from './dcc-gateway';
import { createDirectDuisGateway } from './direct-gateway';
import type { DccFaults, DccSimulator } from './emulator/dcc-simulator';
import { compareReadings, dccReadingSource, displayReading, hanReadingSource, type VerificationRecord } from './read-verification';
import { startResponseListener, type ResponseListener } from './response-listener';
import { createHttpsTransport } from './transport';

export interface DccServiceOptions {
  /** The app's data folder; the DCC keeps its queue, request log and counters in `<dataDir>/dcc`. */
  readonly dataDir: string;
  readonly premises: RunningPremises | undefined;
  readonly log: Logger;
  /** Reads the ESME import register over the HAN (Wh). Without one, HAN vs DCC is not offered. */
  readonly hanReader?: () => Promise<{ readonly summationWh: number; readonly at: Date; readonly reference?: string }>;
  readonly onRequest?: (view: DccRequestView) => void;
}

export interface VerifyRequest {
  readonly method: 'han-vs-dcc' | 'display-vs-dcc';
  readonly displayValue?: string;
  readonly displayUnit: 'kWh' | 'Wh';
}

/** What the app's DCC handlers use: status, request log, end-to-end verification and simulator controls. */
export interface DccService {
  status(): Promise<DccStatus>;
  requests(): readonly DccRequestView[];
  verify(request: VerifyRequest): Promise<VerificationRecord>;
  retryQueued(): Promise<{ sent: number; stillQueued: number }>;
  /** Training premises only; false when there is no simulator. */
  setSimulatorFaults(faults: Partial<Pick<DccFaults, 'wrongValueWh' | 'badSignature'>> & { errorCode?: string | null; down?: boolean }): Promise<boolean>;
  close(): Promise<void>;
}

export class DccNotConfiguredError extends Error {
  constructor(message = 'No DCC is configured: start the training premises or configure a DCC Boxed endpoint.') {
    super(message);
    this.name = 'DccNotConfiguredError';
  }
}

export function toRequestView(record: DccRequestRecord): DccRequestView {
  return {
    requestId: record.requestId,
    serviceRequest: record.variant,
    name: record.name,
    state: record.state,
    attempts: record.attempts,
    createdAt: record.createdAt,
    ...(record.responseCode ? { responseCode: record.responseCode } : {}),
    ...(record.responseMeaning ? { responseMeaning: record.responseMeaning } : {}),
    ...(record.sentAt ? { sentAt: record.sentAt } : {}),
    ...(record.acknowledgedAt ? { acknowledgedAt: record.acknowledgedAt } : {}),
    ...(record.completedAt ? { completedAt: record.completedAt } : {}),
    ...(record.lastError ? { lastError: record.lastError } : {}),
  };
}

/**
 * Wires the DCC for the app. With the training premises running it talks to the premises' DCC simulator as the
 * DCC Boxed test User (test credentials, said so in the status); a DCC Boxed or supplier back-office
 * configuration plugs in here later through the same `DccGateway`.
 */
export async function startDccService(options: DccServiceOptions): Promise<DccService> {
  const details = options.premises?.emulators.get('dcc')?.details;
  const simulator = details?.simulator as DccSimulator | undefined;
  const esme = options.premises?.model.devices.find((d) => d.type === 'ESME')?.eui64;
  let listener: ResponseListener | undefined;
  let gateway: DccGateway | undefined;
  if (simulator) {
    listener = await startResponseListener({ signers: testDccSigners() });
    simulator.setReceiveResponseUrl(listener.url);
    gateway = createDirectDuisGateway({
      dataDir: join(options.dataDir, 'dcc'),
      transport: createHttpsTransport({ baseUrl: simulator.baseUrl, ca: simulator.tls.caCert, timeoutMs: 15_000 }),
      keys: testKeyProvider,
      dccSigners: testDccSigners(),
      dccId: simulator.dccId,
      listener,
      responseTimeoutMs: 60_000,
      log: options.log.child('gateway'),
    });
    gateway.onUpdate((record) => options.onRequest?.(toRequestView(record)));
    options.log.info('DCC gateway using the training premises simulator (test credentials)', { baseUrl: simulator.baseUrl, listener: listener.url });
  }
  const requireGateway = (): DccGateway => {
    if (!gateway) throw new DccNotConfiguredError();
    return gateway;
  };
  return {
    async status() {
      if (!gateway || !simulator) return { mode: 'none', testCredentials: false, queued: 0 };
      const identity = await gateway.identity();
      return {
        mode: 'training-simulator',
        baseUrl: simulator.baseUrl,
        userId: identity.userId,
        dccId: simulator.dccId,
        testCredentials: identity.testCredentials,
        ...(listener ? { listenerUrl: listener.url } : {}),
        queued: gateway.queued().length,
        ...(options.premises ? { trainingMeterDisplayKWh: (Math.floor(esmeImportWh(options.premises.model.esmeRegister, Date.now()) / 100) / 10).toFixed(1) } : {}),
      };
    },
    requests: () => (gateway ? gateway.requests().map(toRequestView) : []),
    async verify(request) {
      const g = requireGateway();
      if (!esme) throw new DccNotConfiguredError('The job has no ESME to read.');
      const dcc = dccReadingSource(g, esme, 90_000);
      if (request.method === 'display-vs-dcc') {
        const typed = displayReading(request.displayValue ?? '', request.displayUnit, new Date());
        return compareReadings(typed, await dcc.read());
      }
      if (!options.hanReader) throw new DccNotConfiguredError('No HAN read is available here: compare the display with the DCC instead.');
      const han = await hanReadingSource(options.hanReader).read();
      return compareReadings(han, await dcc.read());
    },
    retryQueued: () => requireGateway().flushQueue(),
    async setSimulatorFaults(faults) {
      if (!simulator) return false;
      if (faults.wrongValueWh !== undefined) simulator.faults.wrongValueWh = faults.wrongValueWh;
      if (faults.badSignature !== undefined) simulator.faults.badSignature = faults.badSignature;
      if (faults.errorCode !== undefined) simulator.faults.errorCode = faults.errorCode ?? undefined;
      if (faults.down !== undefined) await simulator.setDown(faults.down);
      return true;
    },
    async close() {
      await gateway?.close();
      await listener?.close();
    },
  };
}
