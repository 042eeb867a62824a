import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import type { PremisesModel } from '../../premises/premises-model';
import { silentLogger, type Logger } from '../../util/logger';
import { certificateSerialDecimal, TEST_DCC_ID, TEST_USER_ID, testDccCredentials, testUserCredentials, type DuisSigningCredentials } from '../credentials';
import { buildDuisResponse, type WanMatrix } from '../duis-response';
import { toDuisEui } from '../eui';
import { buildMmcResponse } from '../mmc';
import { endpointFor, type DuisEndpoint } from '../request-builder';
import { parseRequestId } from '../request-id';
import { isServiceRequestVariant, serviceRequestDefinition, type ServiceRequestVariant } from '../service-requests';
import { signDuisXml, verifyDuisXml } from '../xmldsig';
import { el, wrap } from '../xml-text';
import { deviceHandlers, Refusal, type DeviceLogEntry, type SimulatedPremises, type SmiStatus } from './device-handlers';
import { createDevicePki, type DeviceIdentity, type DevicePki } from './device-pki';
import { createGbcsResponder, type GbcsFault } from './gbcs-responder';
import { handleSmkiRequest, SMKI_RETRIEVE_PATH, SMKI_SEARCH_PATH } from './smki-service';
import { createCriticalDesk, criticalEndpoint } from './critical-desk';
import { createOrganisationCertificates } from './organisation-certificates';
import { createTestTls, type TestTlsMaterial } from './test-ca';
import { deliverResponse } from './response-delivery';

/** What the simulator can be told to do wrong. Change fields at any time; they apply to the next request. */
export interface DccFaults {
  /** Synchronous reply delay (a slow DCC). */
  slowMs: number;
  /** Answer device and non-device requests with this code instead of I99/I0 (e.g. 'E20'). */
  errorCode?: string;
  /** Send asynchronous responses with this code instead of I0. */
  asyncErrorCode?: string;
  /** Sign asynchronous responses with a key that is not the DCC's. */
  badSignature: boolean;
  /** Added to the ESME register in 4.1.1 answers (a meter that reads wrong end to end). */
  wrongValueWh: number;
  /** Acknowledge with I99 but never send the device response. */
  dropResponses: boolean;
  /** GBCS training fault on device responses: a bad MAC or signature, an undecryptable payload, an unknown device. */
  gbcs: GbcsFault;
}

/**
 * What goes in `sr:GBCSPayload`: GBCS bytes as a DCC Boxed sends them (default), or the MMC XML that DCC's
 * Parse & Correlate would produce (the per-connection option for Users who run it).
 */
export type SimulatorPayloadFormat = 'gbcs' | 'mmc';

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
  received(): readonly { readonly requestId: string; readonly variant: string; readonly endpoint: DuisEndpoint; readonly code: string }[];
  /** Resolves once every scheduled asynchronous response has been posted. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export { CHF_DEVICE_LOG_CAPACITY, type DeviceLogEntry, type SmiStatus } from './device-handlers';

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });
type Node = Record<string, unknown>;
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);

/**
 * A plausible WAN answer for training: the CSP region from the postcode area (Scotland and the north of England
 * are "North"), coverage available, an aerial suggested for flats.
 */
function wanMatrixFor(body: Node): WanMatrix & { requestXml: string } {
  const uprn = text(body.UPRN);
  const partial = (body.PartialAddress ?? {}) as Node;
  const postcode = (text(partial.PostCode) ?? '').toUpperCase();
  const address = text(partial.AddressIdentifier) ?? '';
  const area = /^[A-Z]{1,2}/.exec(postcode)?.[0] ?? '';
  const north = [
    'AB',
    'DD',
    'DG',
    'EH',
    'FK',
    'G',
    'IV',
    'KA',
    'KY',
    'ML',
    'PA',
    'PH',
    'TD',
    'BD',
    'DH',
    'DL',
    'HG',
    'HU',
    'HX',
    'LS',
    'NE',
    'SR',
    'TS',
    'WF',
    'YO',
    'CA',
    'LA',
    'BB',
    'PR',
    'FY',
    'L',
    'M',
  ];
  const flat = /flat|apartment/i.test(address);
  return {
    requestXml: uprn ? el('sr:UPRN', uprn) : wrap('sr:PartialAddress', el('sr:PostCode', text(partial.PostCode)) + el('sr:AddressIdentifier', address)),
    cspRegion: uprn ? 'Unknown' : north.includes(area) ? 'North' : 'South',
    coverageAvailability: true,
    wanTechnology: north.includes(area) ? 'Long Range Radio' : 'Cellular',
    connectivityLikelihood: flat ? 'Medium' : 'High',
    ...(flat ? { auxiliaryEquipmentRequired: 'External aerial' } : {}),
  };
}

/**
 * A DCC Boxed–style DUIS endpoint on loopback for training and tests. It checks each request's signature and
 * structure with the project's own code, answers I99 (device) or I0 (non-device) synchronously, and posts the
 * signed device response — GBCS from the device's own keys (gbcs-responder.ts), or the MMC form DCC's Parse &
 * Correlate produces when `payloadFormat` is 'mmc' — to the receive-response URL after a delay. Device requests
 * go through the `deviceHandlers` table; its SMKI interface serves the devices' certificates. It keeps the Comms
 * Hub device log and SMI statuses of the training premises, and reads the same ESME register the ZigBee emulator
 * serves.
 */
export async function startDccSimulator(options: DccSimulatorOptions): Promise<DccSimulator> {
  const log = options.log ?? silentLogger;
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const tls = createTestTls();
  const devicePki = createDevicePki([...options.model.devices, options.model.rf.gpf]);
  const dcc: DuisSigningCredentials = testDccCredentials();
  const impostor = testUserCredentials(); // signs "badly": a valid key that is not the DCC's
  const users = new Map([[TEST_USER_ID, testUserCredentials().certificate]]);
  const organisations = createOrganisationCertificates();
  for (const pem of options.organisationCertificates ?? []) organisations.register(pem);
  const faults: DccFaults = { slowMs: 0, badSignature: false, wrongValueWh: 0, dropResponses: false, gbcs: 'none' };
  let payloadFormat: SimulatorPayloadFormat = options.payloadFormat ?? 'gbcs';
  const gbcsResponse = createGbcsResponder({ pki: devicePki, userId: TEST_USER_ID, now });
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
  const accepted: { requestId: string; variant: string; endpoint: DuisEndpoint; code: string }[] = [];
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const stopping = new AbortController();

  const respond = (
    fields: {
      requestId?: string;
      code: string;
      variant?: ServiceRequestVariant;
      mmcXml?: string;
      gbcs?: Uint8Array;
      responseId?: string;
      wanMatrix?: WanMatrix & { requestXml: string };
      preCommand?: { gbcsVersion: string; gbcs: Uint8Array };
    },
    signer = dcc,
  ): string => {
    const definition = fields.variant ? serviceRequestDefinition(fields.variant) : undefined;
    const xml = buildDuisResponse({
      ...(fields.requestId ? { requestId: fields.requestId } : {}),
      ...(fields.responseId ? { responseId: fields.responseId } : {}),
      responseCode: fields.code,
      responseDateTime: new Date(now()),
      ...(definition ? { serviceReference: definition.serviceReference, serviceReferenceVariant: definition.variant } : {}),
      ...(fields.mmcXml ? { mmcXml: fields.mmcXml } : {}),
      ...(fields.gbcs ? { gbcs: fields.gbcs } : {}),
      ...(fields.wanMatrix ? { wanMatrix: fields.wanMatrix } : {}),
      ...(fields.preCommand ? { preCommand: fields.preCommand } : {}),
    });
    return signDuisXml(xml, signer);
  };

  const postAsync = async (xml: string, requestId: string): Promise<void> => {
    if (!receiveUrl) return void log.warn('no receive-response URL configured; device response dropped', { requestId });
    await deliverResponse({ url: receiveUrl, ...(receiveCa ? { ca: receiveCa } : {}), xml, requestId, log, signal: stopping.signal });
  };

  // Critical requests (8.1.1, 8.7.1): Transform's pre-command, then only a signed pre-command reaches the device.
  const desk = createCriticalDesk({
    now,
    smi,
    typeOf,
    deviceLog: { get: () => premises.deviceLog, set: (entries) => (premises.deviceLog = entries) },
    devicePki,
    userSigningKeys: (userId) => organisations.signingKeys(userId),
  });
  const critical = criticalEndpoint({
    desk,
    faults,
    accepted,
    respond,
    later: (requestId, xml) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        const posting = postAsync(xml(), requestId);
        pending.add(posting);
        void posting.finally(() => pending.delete(posting));
      }, responseDelayMs);
      timers.add(timer);
    },
  });

  /** Checks and executes one request; returns the synchronous reply. */
  const handle = (endpoint: DuisEndpoint, xml: string): { status: number; body: string } => {
    let requestId: string | undefined;
    try {
      const root = (parser.parse(xml) as Node).Request as Node | undefined;
      if (!root || typeof root !== 'object' || !root['@schemaVersion']) throw new Refusal('E4', 'not a DUIS Request');
      const header = (root.Header ?? {}) as Node;
      requestId = text(header.RequestID);
      const parsedId = parseRequestId(requestId ?? '');
      const userCert = users.get(parsedId.userId);
      if (!userCert) throw new Refusal('E2', `unknown DCC User ${parsedId.userId}`);
      // Signature first: nothing else in the document is believed before it verifies with the User's certificate.
      try {
        verifyDuisXml(xml, { certificates: [userCert] });
      } catch (error) {
        throw new Refusal('E4', `signature check failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const variant = text(header.ServiceReferenceVariant) ?? '';
      if (!isServiceRequestVariant(variant)) throw new Refusal('E11', `service request ${variant} is not simulated`);
      const definition = serviceRequestDefinition(variant);
      if (variant === '8.1.1' || variant === '8.7.1') return critical(endpoint, root, variant, requestId!);
      const body = ((root.Body ?? {}) as Node)[definition.bodyElement] as Node | string | undefined;
      if (body === undefined || text(header.ServiceReference) !== definition.serviceReference)
        throw new Refusal('E11', `body or ServiceReference does not match ${variant}`);
      const cv = Number(text(header.CommandVariant));
      if (definition.nonDevice ? cv !== 8 : ![1, 2, 3].includes(cv)) throw new Refusal('E12', `CommandVariant ${cv} is not valid for ${variant}`);
      if (endpointFor(cv) !== endpoint) throw new Refusal('E13', `${variant} with CV ${cv} belongs on ${endpointFor(cv)}, not ${endpoint}`);
      if (faults.errorCode) throw new Refusal(faults.errorCode, 'fault injected');
      const bodyNode = typeof body === 'object' ? body : {};
      if (definition.nonDevice) {
        if (parsedId.targetId !== TEST_DCC_ID) throw new Refusal('E19', 'non-device requests are addressed to the DCC');
        if (variant === '8.14.1' || variant === '8.14.2') {
          const chf = toDuisEui(text(bodyNode.DeviceID) ?? '');
          if (!smi.has(chf)) throw new Refusal('E19', `Comms Hub ${chf} is not in the SMI`);
          smi.set(chf, variant === '8.14.1' ? 'Commissioned' : 'InstalledNotCommissioned');
        }
        if (variant === '12.2') {
          const device = toDuisEui(text(bodyNode.DeviceID) ?? '');
          if (!smi.has(device)) smi.set(device, 'Pending');
          typeOf.set(device, text(bodyNode.DeviceType) ?? '');
          devicePki.issue(device, (text(bodyNode.DeviceType) ?? 'unknown') as DeviceIdentity['type']);
        }
        accepted.push({ requestId: requestId!, variant, endpoint, code: 'I0' });
        if (variant === '12.1') return { status: 200, body: respond({ requestId: requestId!, code: 'I0', variant, wanMatrix: wanMatrixFor(bodyNode) }) };
        return { status: 200, body: respond({ requestId: requestId!, code: 'I0', variant }) };
      }
      const target = parsedId.targetId;
      if (!smi.has(target)) throw new Refusal('E19', `device ${target} is not in the SMI`);
      const handler = deviceHandlers[variant];
      if (!handler) throw new Refusal('E11', `${variant} is not simulated for devices`);
      const request = { variant, body: bodyNode, target, counter: parsedId.counter };
      handler.check(request, premises);
      accepted.push({ requestId: requestId!, variant, endpoint, code: 'I99' });
      const answer = handler.answer(request, premises);
      if (!faults.dropResponses) {
        // What the trainer set when the request arrived decides how its response goes wrong.
        const asyncCode = faults.asyncErrorCode;
        const badly = faults.badSignature;
        const format = payloadFormat;
        const gbcsFault = faults.gbcs;
        const timer = setTimeout(() => {
          timers.delete(timer);
          const payload = asyncCode
            ? {}
            : format === 'mmc'
              ? {
                  mmcXml: buildMmcResponse({
                    originatorId: target,
                    targetId: parsedId.userId,
                    originatorCounter: parsedId.counter,
                    serviceReference: definition.serviceReference,
                    serviceReferenceVariant: variant,
                    timestamp: new Date(now()),
                    data: answer.mmc,
                  }),
                }
              : {
                  gbcs: gbcsResponse({
                    answer: answer.gbcs,
                    deviceId: target,
                    deviceType: typeOf.get(target) ?? '',
                    requestCounter: parsedId.counter,
                    fault: gbcsFault,
                  }),
                };
          const responseId = `${target}:${parsedId.userId}:${parsedId.counter}`;
          const signed = respond({ requestId: requestId!, responseId, code: asyncCode ?? 'I0', variant, ...payload }, badly ? impostor : dcc);
          const signedAsDcc = badly ? signed.replace(/(<ds:X509SerialNumber>)\d+/, `$1${certificateSerialDecimal(dcc.certificate)}`) : signed;
          const posting = postAsync(signedAsDcc, requestId!);
          pending.add(posting);
          void posting.finally(() => pending.delete(posting));
        }, responseDelayMs);
        timers.add(timer);
      }
      return { status: 200, body: respond({ requestId: requestId!, code: 'I99', variant }) };
    } catch (error) {
      const refusal = error instanceof Refusal ? error : new Refusal('E4', error instanceof Error ? error.message : String(error));
      log.info('request refused', { requestId, code: refusal.code, reason: refusal.message });
      const validId = requestId && /^([0-9A-F]{2}-){7}[0-9A-F]{2}:([0-9A-F]{2}-){7}[0-9A-F]{2}:\d+$/i.test(requestId) ? requestId : undefined;
      return { status: 200, body: respond({ ...(validId ? { requestId: validId } : {}), code: refusal.code }) };
    }
  };

  /** SMKI look-ups, answered from the device PKI (the fault "unknown device" answers from a device it lacks). */
  const serveSmki = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = handleSmkiRequest(devicePki, path, Buffer.concat(chunks).toString('utf8'))!;
      smkiLookups++;
      res.writeHead(reply.status, { 'content-type': 'application/xml' }).end(reply.body);
    });
  };
  let smkiLookups = 0;

  const server: Server = createServer(
    {
      cert: tls.cert,
      key: tls.key,
      ca: tls.caCert,
      requestCert: options.requireClientCertificate ?? false,
      rejectUnauthorized: options.requireClientCertificate ?? false,
    },
    (req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      if (req.method === 'POST' && (path === SMKI_SEARCH_PATH || path === SMKI_RETRIEVE_PATH)) return serveSmki(req, res, path);
      const match = /^\/api\/v1\/(serviceS|serviceT|serviceD)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const reply = handle(match[1] as DuisEndpoint, Buffer.concat(chunks).toString('utf8'));
        const timer = setTimeout(() => {
          timers.delete(timer);
          res.writeHead(reply.status, { 'content-type': 'application/xml' }).end(reply.body);
        }, faults.slowMs);
        timers.add(timer);
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  // After listening, an accept error (EMFILE) or a client's TLS failure must not end the process.
  server.on('error', () => undefined);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const closeServer = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  const port = await listen(options.port ?? 0);
  log.info('DCC simulator listening', { port });

  return {
    // Keeps the TLS keys out of logs and IPC if someone serialises the emulator's details.
    toJSON: () => ({ baseUrl: `https://${host}:${port}/api/v1`, userId: TEST_USER_ID, dccId: TEST_DCC_ID }),
    port,
    baseUrl: `https://${host}:${port}/api/v1`,
    smkiUrl: `https://${host}:${port}/`,
    smkiLookups: () => smkiLookups,
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
      if (down) await closeServer();
      else if (!server.listening) await listen(port);
    },
    deviceLog: () => premises.deviceLog,
    payloadFormat: () => payloadFormat,
    setPayloadFormat(format) {
      payloadFormat = format;
    },
    smiStatus: (eui) => smi.get(toDuisEui(eui)),
    received: () => accepted,
    async idle() {
      while (timers.size > 0 || pending.size > 0) {
        await Promise.all([...pending]);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      stopping.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([...pending]);
      await closeServer();
    },
  };
}
