import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DccRequestView, DccStatus } from '../../src-shared/ipc/channels/dcc';
import { esmeImportWh } from '../premises/premises-model';
import type { RunningPremises } from '../premises/training-premises';
import type { SecretStore } from '../secrets/secret-store';
import type { Logger } from '../util/logger';
import { testDccSigners, testKeyProvider } from './credentials';
import { connectionParts, DEVICE_CERTIFICATES, loadDccConnection, prepareDccConnection, writeDccConnection, type StoredDccConnection } from './dcc-config';
import { gbcsKeySource } from './gbcs/key-source';
import type { SmkiEndpoint } from './smki-client';
import type { DccGateway, DccRequestRecord } from './dcc-gateway';
import type { HanRegisterReader } from './han-reader';
import { createDirectDuisGateway } from './direct-gateway';
import type { DccFaults, DccSimulator, SimulatorPayloadFormat } from './emulator/dcc-simulator';
import { compareReadings, dccReadingSource, displayReading, hanReadingSource, type VerificationRecord } from './read-verification';
import { checkListenerBinds, exposedListenerWarning, ListenerBindError } from './listener-check';
import { startResponseListener, type ResponseListener } from './response-listener';
import { createHttpsTransport } from './transport';
import { safeMessage } from '../util/safe-message';
import { ConnectionFieldError, signingKeyOrigin } from './user-signing-key';

export interface DccServiceOptions {
  /** The app's data folder; the DCC keeps its connection, queue, request log and counters in `<dataDir>/dcc`. */
  readonly dataDir: string;
  readonly premises: RunningPremises | undefined;
  /** Seals the keys of a configured connection. */
  readonly secrets: SecretStore;
  readonly log: Logger;
  /** Reads the ESME import register over the HAN (Wh). Without one, HAN vs DCC is not offered. */
  readonly hanReader?: HanRegisterReader;
  readonly onRequest?: (view: DccRequestView) => void;
  /** Tells the engineer what needs attention: the DCC unreachable (and what waits), untrusted or missing replies. */
  readonly onNotice?: (level: 'info' | 'warning' | 'error', message: string) => void;
}

export interface VerifyRequest {
  readonly method: 'han-vs-dcc' | 'display-vs-dcc';
  /** The job's ESME; defaults to the training premises' ESME. */
  readonly esmeId?: string;
  readonly displayValue?: string;
  readonly displayUnit: 'kWh' | 'Wh';
}

/** What the app's DCC handlers use: connection, status, request log, end-to-end verification, simulator controls. */
export interface DccService {
  status(): Promise<DccStatus>;
  /** Saves a DCC Boxed / test-lab connection (keys sealed) and switches to it. */
  configure(input: unknown): Promise<DccStatus>;
  /** Forgets the configured connection; the training simulator is used again if it runs. */
  forget(): Promise<DccStatus>;
  requests(): readonly DccRequestView[];
  verify(request: VerifyRequest): Promise<VerificationRecord>;
  retryQueued(): Promise<{ sent: number; stillQueued: number }>;
  /** Training premises only; false when there is no simulator. */
  /** The connected gateway (the install visit's runner submits through it), or undefined when no DCC is configured. */
  gateway(): DccGateway | undefined;
  /** Training premises only: the simulator, whose request log proves what reached the DCC. */
  simulator(): DccSimulator | undefined;
  setSimulatorFaults(
    faults: Partial<Pick<DccFaults, 'wrongValueWh' | 'badSignature'>> & {
      errorCode?: string | null;
      down?: boolean;
      gbcsFault?: DccFaults['gbcs'];
      payloadFormat?: SimulatorPayloadFormat;
    },
  ): Promise<boolean>;
  close(): Promise<void>;
}

export class DccNotConfiguredError extends Error {
  constructor(message = 'No DCC is configured: start the training premises or configure a DCC Boxed endpoint.') {
    super(message);
    this.name = 'DccNotConfiguredError';
  }
}

/** The connection settings were refused (bad certificate, key not matching it …); nothing was saved. */
export class DccConfigError extends Error {
  constructor(
    message: string,
    /** The connection form's fields the message is about (shown beside them). */
    readonly fields?: readonly string[],
  ) {
    super(message);
    this.name = 'DccConfigError';
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
    ...(record.lastError ? { lastError: safeMessage(record.lastError) } : {}),
    ...(record.inFlight ? { inFlight: true } : {}),
    ...(record.critical ? { critical: { phase: record.critical.phase, ...(record.critical.useCase ? { useCase: record.critical.useCase } : {}) } } : {}),
    ...(record.gbcs ? { gbcs: gbcsView(record.gbcs) } : {}),
  };
}

function gbcsView(gbcs: NonNullable<DccRequestRecord['gbcs']>): NonNullable<DccRequestView['gbcs']> {
  if (!gbcs.ok) return { unreadable: gbcs.reason };
  const { useCase, messageCode, mac, signature, encrypted, decryption, trusted } = gbcs;
  return { useCase, messageCode, mac, signature, encrypted, decryption, trusted };
}

/** Same scheme, port and loopback host (127.0.0.1 and localhost are one machine). */
function sameEndpoint(a: string, b: string): boolean {
  const host = (h: string): string => (h === 'localhost' || h === '[::1]' ? '127.0.0.1' : h);
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.protocol === y.protocol && x.port === y.port && host(x.hostname) === host(y.hostname);
  } catch {
    return false;
  }
}

interface Connection {
  readonly mode: 'direct' | 'training-simulator';
  readonly gateway: DccGateway;
  readonly listener: ResponseListener;
  readonly baseUrl: string;
  readonly dccId: string;
  readonly listenerHost?: string;
  /** The saved connection it was made from (direct mode): the status says from it whether a signing key is held. */
  readonly stored?: StoredDccConnection;
}

/**
 * Wires the DCC for the app. A configured DCC Boxed / test-lab connection wins; otherwise, with the training
 * premises running, the premises' DCC simulator is used as the DCC Boxed test User (test credentials, said so in
 * the status). A supplier back-office gateway would be one more `Connection` kind behind the same `DccGateway`.
 */
export async function startDccService(options: DccServiceOptions): Promise<DccService> {
  const dir = join(options.dataDir, 'dcc');
  const simulator = options.premises?.emulators.get('dcc')?.details?.simulator as DccSimulator | undefined;
  const esme = options.premises?.model.devices.find((d) => d.type === 'ESME')?.eui64;

  // SMKI: the premises' simulator serves its own; a DCC Boxed serves it over HTTP on port 8083 of its host.
  const simulatorDeviceCa = simulator ? [new X509Certificate(simulator.devicePki.caCertificate)] : [];
  const smkiFor = (stored: StoredDccConnection): { endpoint: SmkiEndpoint; deviceCa?: readonly X509Certificate[] } | undefined => {
    if (stored.smkiUrl) return { endpoint: { baseUrl: stored.smkiUrl, ...(stored.caPem ? { ca: stored.caPem } : {}) } };
    if (simulator && sameEndpoint(stored.baseUrl, simulator.baseUrl))
      return { endpoint: { baseUrl: simulator.smkiUrl, ca: simulator.tls.caCert }, deviceCa: simulatorDeviceCa };
    try {
      return { endpoint: { baseUrl: `http://${new URL(stored.baseUrl).hostname}:8083/` } };
    } catch {
      return undefined;
    }
  };
  // Why the saved connection is not running, for the DCC screen: a bad saved setting is reported, never a reason
  // for the app not to start.
  let problem: string | undefined;
  const connectStored = async (stored: StoredDccConnection): Promise<Connection> => {
    const parts = await connectionParts(stored, options.secrets, dir, smkiFor(stored));
    const listener = await startResponseListener({
      signers: parts.signers,
      host: stored.listenerHost,
      port: stored.listenerPort,
      gbcsKeys: parts.gbcsKeys,
    }).catch((error: NodeJS.ErrnoException) => {
      throw new ListenerBindError(stored.listenerHost, stored.listenerPort, error.code ?? 'UNKNOWN');
    });
    const gateway = createDirectDuisGateway({
      dataDir: join(dir, 'direct'),
      transport: createHttpsTransport({ ...parts.transport, timeoutMs: 30_000 }),
      keys: parts.keys,
      dccSigners: parts.signers,
      dccId: stored.dccId,
      listener,
      sealer: options.secrets,
      gbcsKeys: parts.gbcsKeys,
      log: options.log.child('gateway'),
    });
    // The premises' simulator stands in for a DCC Boxed here: point its receive-response URL at our listener, as
    // an administrator would in DCC Boxed's own settings.
    if (simulator && sameEndpoint(stored.baseUrl, simulator.baseUrl)) simulator.setReceiveResponseUrl(listener.url);
    options.log.info('DCC gateway using the configured connection', { baseUrl: stored.baseUrl, listener: listener.url });
    return { mode: 'direct', gateway, listener, baseUrl: stored.baseUrl, dccId: stored.dccId, listenerHost: stored.listenerHost, stored };
  };
  const connect = async (): Promise<Connection | undefined> => {
    problem = undefined;
    try {
      const stored = loadDccConnection(dir);
      if (stored) return await connectStored(stored);
    } catch (error) {
      const full = error instanceof Error ? error.message : String(error);
      // The screen gets the reason without paths or stack; the log keeps it whole for whoever diagnoses it.
      problem = `The saved DCC connection could not start: ${safeMessage(full, 200)}. Correct it under "Connect to a DCC Boxed or test lab" and save, or forget it there.`;
      options.log.error('saved DCC connection could not start; continuing without it', { reason: full });
      options.onNotice?.('error', problem);
    }
    if (!simulator) return undefined;
    // Training uses the public ZAZ1 test User: its keys, plus the device certificates kept in the data folder.
    const gbcsKeys = gbcsKeySource({
      certificatesDir: join(dir, DEVICE_CERTIFICATES),
      testCredentials: true,
      smki: { baseUrl: simulator.smkiUrl, ca: simulator.tls.caCert },
      smkiDeviceCa: simulatorDeviceCa,
    });
    const listener = await startResponseListener({ signers: testDccSigners(), gbcsKeys });
    simulator.setReceiveResponseUrl(listener.url);
    const gateway = createDirectDuisGateway({
      dataDir: join(dir, 'training'),
      transport: createHttpsTransport({ baseUrl: simulator.baseUrl, ca: simulator.tls.caCert, timeoutMs: 15_000 }),
      keys: testKeyProvider,
      dccSigners: testDccSigners(),
      dccId: simulator.dccId,
      listener,
      responseTimeoutMs: 60_000,
      sealer: options.secrets,
      gbcsKeys,
      log: options.log.child('gateway'),
    });
    options.log.info('DCC gateway using the training premises simulator (test credentials)', { baseUrl: simulator.baseUrl, listener: listener.url });
    return { mode: 'training-simulator', gateway, listener, baseUrl: simulator.baseUrl, dccId: simulator.dccId };
  };
  const disconnect = async (c: Connection | undefined): Promise<void> => {
    await c?.gateway.close();
    await c?.listener.close();
  };

  let connection = await connect();
  let lastQueued = 0;
  const notices = (c: Connection, record: DccRequestRecord): void => {
    const queued = c.gateway.queued().length;
    // Once per growth of the queue, not on every retry of the same requests.
    if (record.state === 'queued' && record.lastError && queued > lastQueued) {
      options.onNotice?.('warning', `The DCC is unreachable; ${queued} request${queued === 1 ? ' is' : 's are'} waiting and will be sent when it answers.`);
      lastQueued = queued;
    } else if (queued < lastQueued) lastQueued = queued;
    if (record.state === 'signature-invalid')
      options.onNotice?.(
        'error',
        record.gbcs?.ok
          ? `${record.name}: ${record.lastError ?? 'the device message failed its check'} (RequestID ${record.requestId}).`
          : `A DCC reply for ${record.name} failed its signature check and was not trusted (RequestID ${record.requestId}).`,
      );
    if (record.state === 'timed-out')
      options.onNotice?.('warning', `${record.name}: ${record.lastError ?? 'no reply in time'} (RequestID ${record.requestId}).`);
  };
  const watch = (c: Connection | undefined): void =>
    void c?.gateway.onUpdate((record) => {
      options.onRequest?.(toRequestView(record));
      notices(c, record);
    });
  watch(connection);
  const requireGateway = (): DccGateway => {
    if (!connection) throw new DccNotConfiguredError();
    return connection.gateway;
  };
  const reconnect = async (): Promise<void> => {
    await disconnect(connection);
    connection = undefined;
    connection = await connect();
    watch(connection);
  };

  const service: DccService = {
    async status() {
      const problemField = problem ? { problem } : {};
      if (!connection) return { mode: 'none', testCredentials: false, queued: 0, ...problemField };
      const warning = connection.listenerHost ? exposedListenerWarning(connection.listenerHost) : undefined;
      const identity = await connection.gateway.identity();
      return {
        mode: connection.mode,
        baseUrl: connection.baseUrl,
        userId: identity.userId,
        dccId: connection.dccId,
        testCredentials: identity.testCredentials,
        listenerUrl: connection.listener.url,
        queued: connection.gateway.queued().length,
        gbcsSigningKey: signingKeyOrigin({
          userId: identity.userId,
          testCredentials: identity.testCredentials,
          ...(connection.stored?.userDigitalSigningKeyToken ? { userDigitalSigningKeyToken: connection.stored.userDigitalSigningKeyToken } : {}),
        }),
        // The virtual meter belongs to the premises, whichever DCC connection reads it.
        ...(options.premises
          ? { trainingMeterDisplayKWh: (Math.floor(esmeImportWh(options.premises.model.esmeRegister, Date.now()) / 100) / 10).toFixed(1) }
          : {}),
        ...(simulator
          ? {
              trainingSimulator: {
                baseUrl: simulator.baseUrl,
                caCertPem: simulator.tls.caCert,
                smkiUrl: simulator.smkiUrl,
                smkiDeviceCaPem: simulator.devicePki.caCertificate,
                payloadFormat: simulator.payloadFormat(),
                gbcsFault: simulator.faults.gbcs,
              },
            }
          : {}),
        ...problemField,
        ...(warning ? { listenerWarning: warning } : {}),
      };
    },
    async configure(input) {
      // Validated, and its listener bound once, before anything is written: a connection that cannot start is
      // refused now with its reason instead of failing every later start.
      try {
        const stored = await prepareDccConnection(options.secrets, input);
        const ownListener = connection?.mode === 'direct' ? connection.listener : undefined;
        const sameListener = ownListener !== undefined && ownListener.port === stored.listenerPort && connection?.listenerHost === stored.listenerHost;
        if (!sameListener) await checkListenerBinds(stored.listenerHost, stored.listenerPort, { certificates: [] });
        writeDccConnection(dir, stored);
      } catch (error) {
        const fields = error instanceof ConnectionFieldError ? [error.field] : undefined;
        throw new DccConfigError(`the DCC connection was not saved: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, fields);
      }
      await reconnect();
      return service.status();
    },
    async forget() {
      rmSync(join(dir, 'connection.json'), { force: true });
      await reconnect();
      return service.status();
    },
    requests: () => (connection ? connection.gateway.requests().map(toRequestView) : []),
    async verify(request) {
      const g = requireGateway();
      const esmeId = request.esmeId ?? esme;
      if (!esmeId) throw new DccNotConfiguredError('There is no ESME with an EUI-64 to read: add it to the job first.');
      const dcc = dccReadingSource(g, esmeId, 90_000);
      if (request.method === 'display-vs-dcc') {
        const typed = displayReading(request.displayValue ?? '', request.displayUnit, new Date());
        return compareReadings(typed, await dcc.read());
      }
      if (!options.hanReader) throw new DccNotConfiguredError('No HAN read is available here: compare the display with the DCC instead.');
      const reader = options.hanReader;
      let han;
      try {
        han = await hanReadingSource(() => reader(esmeId)).read();
      } catch (error) {
        throw new DccNotConfiguredError(`HAN read failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return compareReadings(han, await dcc.read());
    },
    retryQueued: () => requireGateway().flushQueue(),
    gateway: () => connection?.gateway,
    simulator: () => simulator,
    async setSimulatorFaults(faults) {
      if (!simulator) return false;
      if (faults.wrongValueWh !== undefined) simulator.faults.wrongValueWh = faults.wrongValueWh;
      if (faults.badSignature !== undefined) simulator.faults.badSignature = faults.badSignature;
      if (faults.errorCode !== undefined) simulator.faults.errorCode = faults.errorCode ?? undefined;
      if (faults.gbcsFault !== undefined) simulator.faults.gbcs = faults.gbcsFault;
      if (faults.payloadFormat !== undefined) simulator.setPayloadFormat(faults.payloadFormat);
      if (faults.down !== undefined) await simulator.setDown(faults.down);
      return true;
    },
    close: () => disconnect(connection),
  };
  return service;
}
