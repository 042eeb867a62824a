import type { KeyObject } from 'node:crypto';
import type { PremisesModel } from '../../premises/premises-model';
import { silentLogger, type Logger } from '../../util/logger';
import { TEST_DCC_ID, TEST_USER_ID, testUserCredentials } from '../credentials';
import { toDuisEui } from '../eui';
import { createCriticalDesk, criticalEndpoint } from './critical-desk';
import type { DeviceLogEntry, SimulatedPremises, SmiStatus } from './device-handlers';
import { createDevicePki, type DevicePki } from './device-pki';
import { createDeviceRequestDispatch, type AcceptedRequest } from './device-requests';
import { createDuisEndpoint } from './duis-endpoint';
import { createDuisResponder } from './duis-responder';
import { createGbcsResponder } from './gbcs-responder';
import { createOrganisationCertificates } from './organisation-certificates';
import { createPendingWork } from './pending-work';
import { deliverResponse } from './response-delivery';
import { noFaults, type DccFaults, type SimulatorPayloadFormat } from './simulator-faults';
import { createSimulatorServer } from './simulator-server';
import { createTestTls, type TestTlsMaterial } from './test-ca';

export type { DccFaults, SimulatorPayloadFormat } from './simulator-faults';
export { CHF_DEVICE_LOG_CAPACITY, type DeviceLogEntry, type SmiStatus } from './device-handlers';

export interface DccSimulatorOptions {
  readonly model: PremisesModel;
  readonly host?: string;
  readonly port?: number;
  readonly log?: Logger;
  /** Delay between the I99 and the asynchronous device response. Default 200 ms. */
  readonly responseDelayMs?: number;
  readonly receiveResponseUrl?: string;
  /** Require a client certificate from the simulator's own CA (mutual TLS). */
  readonly requireClientCertificate?: boolean;
  readonly now?: () => number;
  /** Default `gbcs`; change it later with `setPayloadFormat`. */
  readonly payloadFormat?: SimulatorPayloadFormat;
  /**
   * SMKI Organisation Certificates (PEM) of Users whose GBCS digital-signing key is not ZAZ1's: pre-commands from
   * such a User are checked against these only. Add more later with `registerOrganisationCertificate`.
   */
  readonly organisationCertificates?: readonly string[];
}

export interface DccSimulator {
  toJSON(): unknown;
  readonly port: number;
  /** Base URL of the DUIS endpoints, e.g. `https://127.0.0.1:40123/api/v1`. */
  readonly baseUrl: string;
  /** Base URL of its SMKI interface (`services/certificatesearch`, `services/retrievecertificate`), same CA. */
  readonly smkiUrl: string;
  /** SMKI requests answered so far. */
  smkiLookups(): number;
  /** The CA made at start-up, plus a client certificate from it for mutual TLS. */
  readonly tls: TestTlsMaterial;
  readonly userId: string;
  readonly dccId: string;
  readonly faults: DccFaults;
  /** Every simulated device's GBCS key pairs and SMKI certificates, made at start-up (look-up by EUI-64). */
  readonly devicePki: DevicePki;
  setReceiveResponseUrl(url: string, ca?: string): void;
  /**
   * Registers a User's SMKI Organisation Certificate for digital signing (PEM, the EUI-64 in its subject's
   * x500UniqueIdentifier); returns that EUI-64. From then on that User's pre-commands verify only with
   * registered keys. Throws with the reason when the certificate is not one.
   */
  registerOrganisationCertificate(pem: string): string;
  /** The digital-signing public keys it checks an organisation's pre-commands with (registered, else ZAZ1's). */
  organisationSigningKeys(eui: string): readonly KeyObject[];
  payloadFormat(): SimulatorPayloadFormat;
  setPayloadFormat(format: SimulatorPayloadFormat): void;
  /** Stops accepting connections (unreachable DCC) or starts again on the same port. */
  setDown(down: boolean): Promise<void>;
  deviceLog(): readonly DeviceLogEntry[];
  smiStatus(eui: string): SmiStatus | undefined;
  /** Requests accepted so far (after signature and structure checks), oldest first. */
  received(): readonly AcceptedRequest[];
  /** Resolves once every scheduled asynchronous response has been posted. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A DCC Boxed–style DUIS endpoint on loopback for training and tests. It checks each request's signature and
 * structure with the project's own code (duis-endpoint.ts), answers I99 (device) or I0 (non-device)
 * synchronously, and posts the signed device response — GBCS from the device's own keys (gbcs-responder.ts), or
 * the MMC form DCC's Parse & Correlate produces when `payloadFormat` is 'mmc' — to the receive-response URL after
 * a delay. Device requests go through the `deviceHandlers` table (device-requests.ts); its SMKI interface serves
 * the devices' certificates (simulator-server.ts). It keeps the Comms Hub device log and SMI statuses of the
 * training premises, and reads the same ESME register the ZigBee emulator serves.
 */
export async function startDccSimulator(options: DccSimulatorOptions): Promise<DccSimulator> {
  const log = options.log ?? silentLogger;
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const tls = createTestTls();
  const devicePki = createDevicePki([...options.model.devices, options.model.rf.gpf]);
  const users = new Map([[TEST_USER_ID, testUserCredentials().certificate]]);
  const organisations = createOrganisationCertificates();
  for (const pem of options.organisationCertificates ?? []) organisations.register(pem);
  const faults = noFaults();
  let payloadFormat: SimulatorPayloadFormat = options.payloadFormat ?? 'gbcs';
  const responder = createDuisResponder(now);
  const responseDelayMs = options.responseDelayMs ?? 200;
  let receiveUrl = options.receiveResponseUrl;
  let receiveCa: string | undefined;
  const smi = new Map<string, SmiStatus>();
  const typeOf = new Map<string, string>();
  for (const device of [...options.model.devices, options.model.rf.gpf]) {
    typeOf.set(toDuisEui(device.eui64), device.type);
    // Meters on the premises are fitted and on the HAN, awaiting 8.1.1; IHD and PPMID await whitelisting.
    smi.set(
      toDuisEui(device.eui64),
      device.type === 'IHD' || device.type === 'PPMID' ? 'Pending' : device.type === 'CHF' ? 'Commissioned' : 'InstalledNotCommissioned',
    );
  }
  const premises: SimulatedPremises = {
    model: options.model,
    smi,
    typeOf,
    deviceLog: [],
    chfId: toDuisEui(options.model.devices.find((d) => d.type === 'CHF')!.eui64),
    now,
    wrongValueWh: () => faults.wrongValueWh,
  };
  const accepted: AcceptedRequest[] = [];
  const work = createPendingWork();
  const stopping = new AbortController();

  /** Posts an asynchronous response `xml()` makes to the receive-response URL once the response delay has passed. */
  const later = (requestId: string, xml: () => string): void =>
    work.after(responseDelayMs, () => {
      const document = xml();
      if (!receiveUrl) return void log.warn('no receive-response URL configured; device response dropped', { requestId });
      work.track(deliverResponse({ url: receiveUrl, ...(receiveCa ? { ca: receiveCa } : {}), xml: document, requestId, log, signal: stopping.signal }));
    });

  // Critical requests (8.1.1, 8.7.1): Transform's pre-command, then only a signed pre-command reaches the device.
  const desk = createCriticalDesk({
    now,
    smi,
    typeOf,
    deviceLog: { get: () => premises.deviceLog, set: (entries) => (premises.deviceLog = entries) },
    devicePki,
    userSigningKeys: (userId) => organisations.signingKeys(userId),
  });
  const duis = createDuisEndpoint({
    users,
    faults,
    registers: { smi, typeOf, devicePki },
    critical: criticalEndpoint({ desk, faults, accepted, respond: responder.respond, later }),
    device: createDeviceRequestDispatch({
      premises,
      faults,
      payloadFormat: () => payloadFormat,
      gbcsResponse: createGbcsResponder({ pki: devicePki, userId: TEST_USER_ID, now }),
      responder,
      accepted,
      later,
      now,
    }),
    responder,
    accepted,
    log,
  });

  const server = createSimulatorServer({
    host,
    tls,
    requireClientCertificate: options.requireClientCertificate ?? false,
    duis,
    devicePki,
    slowMs: () => faults.slowMs,
    work,
  });
  const port = await server.listen(options.port ?? 0);
  log.info('DCC simulator listening', { port });

  return {
    // Keeps the TLS keys out of logs and IPC if someone serialises the emulator's details.
    toJSON: () => ({ baseUrl: `https://${host}:${port}/api/v1`, userId: TEST_USER_ID, dccId: TEST_DCC_ID }),
    port,
    baseUrl: `https://${host}:${port}/api/v1`,
    smkiUrl: `https://${host}:${port}/`,
    smkiLookups: () => server.smkiLookups(),
    tls,
    userId: TEST_USER_ID,
    dccId: TEST_DCC_ID,
    faults,
    devicePki,
    setReceiveResponseUrl(url, ca) {
      receiveUrl = url;
      receiveCa = ca;
    },
    registerOrganisationCertificate: (pem) => organisations.register(pem),
    organisationSigningKeys: (eui) => organisations.signingKeys(eui),
    async setDown(down) {
      if (down) await server.close();
      else if (!server.listening()) await server.listen(port);
    },
    deviceLog: () => premises.deviceLog,
    payloadFormat: () => payloadFormat,
    setPayloadFormat(format) {
      payloadFormat = format;
    },
    smiStatus: (eui) => smi.get(toDuisEui(eui)),
    received: () => accepted,
    idle: () => work.idle(),
    async stop() {
      stopping.abort();
      await work.cancel();
      await server.close();
    },
  };
}
