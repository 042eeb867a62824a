import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPremisesModel, esmeImportWh } from '../premises/premises-model';
import { FileSecretStore } from '../secrets/file-secret-store';
import { request as httpsRequest } from 'node:https';
import { TEST_DCC_ID, TEST_USER_ID, testDccCredentials, testDccSigners, testKeyProvider, testUserCredentials } from './credentials';
import type { DccGateway, DccRequestRecord } from './dcc-gateway';
import { createDirectDuisGateway, gatewayRecords } from './direct-gateway';
import { oracleValidate, passedXsd } from './duis-oracle.test-support';
import { buildDuisResponse, parseDuisResponse } from './duis-response';
import { startDccSimulator, type DccSimulator, type SimulatorPayloadFormat } from './emulator/dcc-simulator';
import { createTestTls } from './emulator/test-ca';
import { toDuisEui } from './eui';
import { gbcsKeySource } from './gbcs/key-source';
import { buildDuisRequest } from './request-builder';
import { exampleParams } from './request-examples';
import { parseRequestId } from './request-id';
import { startResponseListener, type ReceivedDocument, type ResponseListener } from './response-listener';
import { createHttpsTransport, type DccTransport, type DccTransportConfig } from './transport';
import { signDuisXml, verifyDuisXml } from './xmldsig';

const model = createPremisesModel(3);
const eui = (type: string): string => model.devices.find((d) => d.type === type)!.eui64;

interface Rig {
  simulator: DccSimulator;
  listener: ResponseListener;
  gateway: DccGateway;
  dataDir: string;
  documents: ReceivedDocument[];
  transport: DccTransportConfig;
  restart(): Promise<DccGateway>;
}
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function rig(
  options: {
    responseTimeoutMs?: number;
    wrapTransport?: (inner: DccTransport) => DccTransport;
    transportTimeoutMs?: number;
    mutualTls?: boolean;
    withClientCert?: boolean;
    responseDelayMs?: number;
    listenerTls?: boolean;
    payloadFormat?: SimulatorPayloadFormat;
  } = {},
): Promise<Rig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'han-dcc-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const simulator = await startDccSimulator({
    model,
    responseDelayMs: options.responseDelayMs ?? 100,
    requireClientCertificate: options.mutualTls ?? false,
    ...(options.payloadFormat ? { payloadFormat: options.payloadFormat } : {}),
  });
  cleanups.push(() => simulator.stop());
  const listenerTls = options.listenerTls ? createTestTls('listener') : undefined;
  const gbcsKeys = gbcsKeySource({
    certificatesDir: join(dataDir, 'device-certificates'),
    testCredentials: true,
    smki: {
      baseUrl: simulator.smkiUrl,
      ca: simulator.tls.caCert,
      ...(options.mutualTls ? { clientCert: simulator.tls.clientCert, clientKey: simulator.tls.clientKey } : {}),
    },
    smkiDeviceCa: [new X509Certificate(simulator.devicePki.caCertificate)],
  });
  const listener = await startResponseListener({
    signers: testDccSigners(),
    gbcsKeys,
    ...(listenerTls ? { tls: { cert: listenerTls.cert, key: listenerTls.key } } : {}),
  });
  cleanups.push(() => listener.close());
  simulator.setReceiveResponseUrl(listener.url, listenerTls?.caCert);
  const documents: ReceivedDocument[] = [];
  listener.onDocument((d) => documents.push(d));
  const transport: DccTransportConfig = {
    baseUrl: simulator.baseUrl,
    ca: simulator.tls.caCert,
    timeoutMs: options.transportTimeoutMs ?? 10_000,
    ...((options.withClientCert ?? options.mutualTls) ? { clientCert: simulator.tls.clientCert, clientKey: simulator.tls.clientKey } : {}),
  };
  const make = (): DccGateway => {
    const gateway = createDirectDuisGateway({
      dataDir,
      transport: options.wrapTransport ? options.wrapTransport(createHttpsTransport(transport)) : createHttpsTransport(transport),
      keys: testKeyProvider,
      dccSigners: testDccSigners(),
      dccId: simulator.dccId,
      listener,
      responseTimeoutMs: options.responseTimeoutMs ?? 15_000,
      retryIntervalMs: 0,
      gbcsKeys,
    });
    cleanups.push(() => gateway.close());
    return gateway;
  };
  const r: Rig = {
    simulator,
    listener,
    gateway: make(),
    dataDir,
    documents,
    transport,
    async restart() {
      await r.gateway.close();
      r.gateway = make();
      return r.gateway;
    },
  };
  return r;
}

describe('DCC gateway against the simulator over TLS', () => {
  it('whitelists the IHD with 8.11, sees it in 8.9, joins it with 8.7.2', async () => {
    const { gateway, simulator } = await rig();
    const add = await gateway.submit('8.11', exampleParams('8.11', model));
    // I99 first; the device response may overtake the reply on a loaded machine, so accept either here.
    expect(['acknowledged', 'completed']).toContain(add.state);
    const added = await gateway.waitForFinal(add.requestId);
    expect(added.acknowledgedAt).toEqual(expect.any(String));
    expect(added).toMatchObject({ state: 'completed', responseCode: 'I0', mmc: { data: { kind: 'han-device-log-updated', success: true } } });
    expect(simulator.smiStatus(eui('IHD'))).toBe('Whitelisted');
    expect(simulator.deviceLog()).toEqual([
      expect.objectContaining({ deviceId: toDuisEui(eui('IHD')), installCode: model.devices.find((d) => d.type === 'IHD')!.installCode, joined: false }),
    ]);

    const read = await gateway.waitForFinal((await gateway.submit('8.9', { deviceId: eui('CHF') })).requestId);
    expect(read.state).toBe('completed');
    expect(read.mmc?.data).toEqual({ kind: 'chf-device-log', entries: [{ deviceId: toDuisEui(eui('IHD')) }] });

    const join = await gateway.waitForFinal((await gateway.submit('8.7.2', exampleParams('8.7.2', model))).requestId);
    expect(join.mmc?.data).toMatchObject({ kind: 'join', status: 'success' });
    const after = await gateway.waitForFinal((await gateway.submit('8.9', { deviceId: eui('CHF') })).requestId);
    expect(after.mmc?.data).toMatchObject({ entries: [{ deviceId: toDuisEui(eui('IHD')), lastCommunications: expect.any(String) }] });
    expect(simulator.smiStatus(eui('IHD'))).toBe('Commissioned');
  });

  it('correlates an asynchronous 4.1.1 read with its request and returns the premises ESME register', async () => {
    const { gateway, documents } = await rig();
    const before = esmeImportWh(model.esmeRegister, Date.now());
    const submitted = await gateway.submit('4.1.1', { deviceId: eui('ESME') });
    expect(['acknowledged', 'completed']).toContain(submitted.state);
    const done = await gateway.waitForFinal(submitted.requestId);
    const after = esmeImportWh(model.esmeRegister, Date.now());
    expect(done.state).toBe('completed');
    expect(done.mmc?.data.kind).toBe('import-register');
    const valueWh = done.mmc?.data.kind === 'import-register' ? done.mmc.data.valueWh : NaN;
    expect(valueWh).toBeGreaterThanOrEqual(before);
    expect(valueWh).toBeLessThanOrEqual(after);
    expect(done.mmc?.originatorId).toBe(toDuisEui(eui('ESME')));
    expect(done.mmc?.originatorCounter).toBe(parseRequestId(done.requestId).counter.toString());
    expect(documents.filter((d) => d.ok && d.response.requestId === done.requestId)).toHaveLength(1);
  });

  it('completes non-device requests synchronously and updates the SMI', async () => {
    const { gateway, simulator } = await rig();
    const record = await gateway.submit('8.14.2', exampleParams('8.14.2', model));
    expect(record).toMatchObject({ state: 'completed', responseCode: 'I0', endpoint: 'serviceD', commandVariant: 8 });
    expect(simulator.smiStatus(eui('CHF'))).toBe('InstalledNotCommissioned');
    const prenotified = await gateway.submit('12.2', { ...exampleParams('12.2', model), deviceId: '00DB123456789999' });
    expect(prenotified.state).toBe('completed');
    expect(simulator.smiStatus('00DB123456789999')).toBe('Pending');
    const wan = await gateway.submit('12.1', { postcode: 'LS6 2AB', addressIdentifier: 'Flat 3, 12 Hyde Park Road' });
    expect(wan).toMatchObject({
      state: 'completed',
      wanMatrix: { cspRegion: 'North', coverageAvailability: true, connectivityLikelihood: 'Medium', auxiliaryEquipmentRequired: 'External aerial' },
    });
  });

  it('reports E-codes with their meaning: synchronous refusal and failed device response', async () => {
    const { gateway, simulator } = await rig();
    simulator.faults.errorCode = 'E20';
    const refused = await gateway.submit('4.1.1', { deviceId: eui('ESME') });
    expect(refused).toMatchObject({ state: 'rejected', responseCode: 'E20', responseMeaning: 'The DCC cannot communicate with the device' });
    expect(gateway.queued()).toEqual([]);
    simulator.faults.errorCode = undefined;
    simulator.faults.asyncErrorCode = 'E21';
    const failed = await gateway.waitForFinal((await gateway.submit('4.1.1', { deviceId: eui('ESME') })).requestId);
    expect(failed).toMatchObject({ state: 'failed', responseCode: 'E21', responseMeaning: 'No response from the device' });
    const unknown = await gateway.submit('4.1.1', { deviceId: '00DB123456780001' });
    expect(unknown).toMatchObject({ state: 'rejected', responseCode: 'E19' });
  });

  it('the simulator checks signature and structure: wrong endpoint E13, tampered E4', async () => {
    const { simulator, transport } = await rig();
    const post = createHttpsTransport(transport).post;
    const built = buildDuisRequest({
      variant: '4.1.1',
      params: { deviceId: eui('ESME') },
      userId: simulator.userId,
      dccId: simulator.dccId,
      counter: () => BigInt(Date.now()),
    });
    const signed = signDuisXml(built.xml, testUserCredentials());
    const wrongEndpoint = parseDuisResponse(verifyDuisXml((await post('serviceD', signed)).body, testDccSigners()).signedXml);
    expect(wrongEndpoint.responseCode).toBe('E13');
    const tampered = signed.replace(/<sr:CommandVariant>1</, '<sr:CommandVariant>2<');
    expect(parseDuisResponse(verifyDuisXml((await post('serviceS', tampered)).body, testDccSigners()).signedXml).responseCode).toBe('E4');
    expect(simulator.received()).toEqual([]);
  });

  it('times out clearly when the device response never comes, and when the DCC does not reply', async () => {
    const r = await rig({ responseTimeoutMs: 300, transportTimeoutMs: 400 });
    r.simulator.faults.dropResponses = true;
    const silent = await r.gateway.waitForFinal((await r.gateway.submit('4.1.1', { deviceId: eui('ESME') })).requestId, 10_000);
    expect(silent).toMatchObject({ state: 'timed-out', timeoutPhase: 'async', responseCode: 'I99' });
    expect(silent.lastError).toMatch(/no device response/);
    r.simulator.faults.slowMs = 5_000;
    const slow = await r.gateway.submit('8.9', { deviceId: eui('CHF') });
    expect(slow).toMatchObject({ state: 'timed-out', timeoutPhase: 'sync' });
    expect(slow.lastError).toMatch(/not resent automatically/);
  });

  it('queues durably while the DCC is down, survives a restart, and sends when the DCC returns', async () => {
    const r = await rig();
    await r.simulator.setDown(true);
    const queued = await r.gateway.submit('4.1.1', { deviceId: eui('ESME') }, { commitWith: (records) => void (records['job-7:read'] = 'waiting for DCC') });
    expect(queued.state).toBe('queued');
    expect(queued.lastError).toMatch(/unreachable.*queued/);
    expect(gatewayRecords(r.dataDir)).toEqual({ 'job-7:read': 'waiting for DCC' });
    const restarted = await r.restart();
    expect(restarted.queued().map((q) => q.requestId)).toEqual([queued.requestId]);
    expect(await restarted.flushQueue()).toEqual({ sent: 0, stillQueued: 1 });
    await r.simulator.setDown(false);
    expect(await restarted.flushQueue()).toEqual({ sent: 1, stillQueued: 0 });
    const done = await restarted.waitForFinal(queued.requestId);
    expect(done).toMatchObject({ state: 'completed', attempts: 3 });
    // The counter survived the restart too: the next request gets a larger one.
    const next = await restarted.submit('8.9', { deviceId: eui('CHF') });
    expect(parseRequestId(next.requestId).counter > parseRequestId(queued.requestId).counter).toBe(true);
  });

  it('refuses a badly signed device response, keeps it for review, and nothing is lost', async () => {
    const { gateway, simulator, documents } = await rig({ responseTimeoutMs: 1500 });
    simulator.faults.badSignature = true;
    const record = await gateway.waitForFinal((await gateway.submit('4.1.1', { deviceId: eui('ESME') })).requestId);
    // The refused document never decides the request: it waits for a signed response, then times out clearly.
    expect(record.state).toBe('timed-out');
    expect(record.lastError).toMatch(/1 unverified response\(s\) refused/);
    expect(record.untrustedDocuments).toHaveLength(1);
    expect(record.mmc).toBeUndefined();
    expect(documents).toEqual([expect.objectContaining({ ok: false, reason: 'bad-signature', requestId: record.requestId })]);
  });

  it('does not resend after a restart a request that was on the wire when the app stopped', async () => {
    let hang = true;
    const r = await rig({
      wrapTransport: (inner) => ({ post: (endpoint, xml) => (hang ? new Promise<never>(() => undefined) : inner.post(endpoint, xml)) }),
    });
    void r.gateway.submit('8.9', { deviceId: eui('CHF') });
    await expect.poll(() => r.gateway.requests()[0]?.inFlight).toBe(true);
    const { requestId } = r.gateway.requests()[0]!;
    hang = false;
    const restarted = await r.restart(); // as if the app had been killed mid-POST
    expect(restarted.queued()).toEqual([]);
    expect(restarted.requests().find((q) => q.requestId === requestId)).toMatchObject({
      state: 'timed-out',
      timeoutPhase: 'sync',
      inFlight: false,
      lastError: expect.stringContaining('not resent'),
    });
    expect(await restarted.flushQueue()).toEqual({ sent: 0, stillQueued: 0 });
  });

  it('refuses a signed synchronous reply that answers another RequestID (a replay)', async () => {
    let replay: string | undefined;
    const { gateway } = await rig({
      wrapTransport: (inner) => ({
        post: async (endpoint, xml) => {
          const reply = await inner.post(endpoint, xml);
          if (replay === undefined) replay = reply.body;
          return { ...reply, body: replay };
        },
      }),
    });
    const first = await gateway.submit('8.9', { deviceId: eui('CHF') });
    const second = await gateway.submit('8.9', { deviceId: eui('CHF') });
    expect(first.state).not.toBe('signature-invalid');
    expect(second).toMatchObject({ state: 'signature-invalid', lastError: expect.stringContaining(`answers RequestID ${first.requestId}`) });
  });

  it('a forged, unsigned document naming a finished request does not change it', async () => {
    const { gateway, listener } = await rig();
    const done = await gateway.waitForFinal((await gateway.submit('8.9', { deviceId: eui('CHF') })).requestId);
    expect(done.state).toBe('completed');
    const forged = `<?xml version="1.0"?><sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"><sr:Header><sr:RequestID>${done.requestId}</sr:RequestID></sr:Header></sr:Response>`;
    await fetch(listener.url, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: forged }).catch(() => undefined);
    const find = (): typeof done | undefined => gateway.requests().find((r) => r.requestId === done.requestId);
    await expect.poll(() => find()?.untrustedDocuments?.length ?? 0).toBe(1);
    expect(find()).toMatchObject({ state: 'completed' });
  });

  it('speaks mutual TLS when the DCC requires a client certificate', async () => {
    const r = await rig({ mutualTls: true, withClientCert: false });
    const without = await r.gateway.submit('8.9', { deviceId: eui('CHF') });
    expect(without.state).toBe('queued');
    const withCert = await rig({ mutualTls: true, withClientCert: true });
    const record = await withCert.gateway.waitForFinal((await withCert.gateway.submit('8.9', { deviceId: eui('CHF') })).requestId);
    expect(record).toMatchObject({ state: 'completed', attempts: 1 });
  });

  it('simulator replies and device responses pass DCC’s validator; MMC payloads pass the MMC schema', async () => {
    const { gateway, simulator, documents, transport } = await rig({ payloadFormat: 'mmc' });
    await gateway.waitForFinal((await gateway.submit('8.11', exampleParams('8.11', model))).requestId);
    await gateway.waitForFinal((await gateway.submit('8.9', { deviceId: eui('CHF') })).requestId);
    await gateway.waitForFinal((await gateway.submit('4.1.1', { deviceId: eui('ESME') })).requestId);
    await simulator.idle();
    const built = buildDuisRequest({
      variant: '8.7.2',
      params: exampleParams('8.7.2', model),
      userId: simulator.userId,
      dccId: simulator.dccId,
      counter: () => BigInt(Date.now()),
    });
    const ack = (await createHttpsTransport(transport).post('serviceS', signDuisXml(built.xml, testUserCredentials()))).body;
    await simulator.idle();
    const wan = buildDuisRequest({
      variant: '12.1',
      params: exampleParams('12.1', model),
      userId: simulator.userId,
      dccId: simulator.dccId,
      counter: () => BigInt(Date.now()),
    });
    const wanReply = (await createHttpsTransport(transport).post('serviceD', signDuisXml(wan.xml, testUserCredentials()))).body;
    expect(wanReply).toContain('DSPWANMatrix');
    const responses = documents.filter((d) => d.ok).map((d) => d.xml);
    const mmc = responses.map((xml) => Buffer.from(/GBCSPayload>([^<]+)</.exec(xml)![1]!, 'base64').toString('utf8'));
    const broken = mmc[0]!.replace('<ra:Timestamp>', '<ra:Bogus/><ra:Timestamp>');
    const verdicts = await oracleValidate([ack, wanReply, ...responses, ...mmc, broken]);
    expect(responses).toHaveLength(4);
    expect(verdicts.slice(0, 6).map((v) => v.ok)).toEqual([true, true, true, true, true, true]);
    expect(verdicts.slice(6, 10).map(passedXsd)).toEqual([true, true, true, true]);
    expect(passedXsd(verdicts[10]!)).toBe(false);
  }, 120_000);

  it('keeps a device response that arrives after the timeout: timed-out, then completed', async () => {
    const { gateway } = await rig({ responseTimeoutMs: 100, responseDelayMs: 2500 });
    const submitted = await gateway.submit('4.1.1', { deviceId: eui('ESME') });
    const timedOut = await gateway.waitForFinal(submitted.requestId, 10_000);
    expect(timedOut).toMatchObject({ state: 'timed-out', timeoutPhase: 'async' });
    const late = await new Promise<DccRequestRecord>((resolve) => {
      const off = gateway.onUpdate((r) => {
        if (r.requestId === submitted.requestId && r.state === 'completed') {
          off();
          resolve(r);
        }
      });
    });
    expect(late.mmc?.data.kind).toBe('import-register');
  });

  it('receives responses over HTTPS when the listener has a certificate, and records alerts no request waited for', async () => {
    const { gateway, listener, documents } = await rig({ listenerTls: true });
    expect(listener.url).toMatch(/^https:/);
    const done = await gateway.waitForFinal((await gateway.submit('8.9', { deviceId: eui('CHF') })).requestId);
    expect(done.state).toBe('completed');
    const before = documents.length;
    // An unsolicited, correctly signed DCC response for a request this gateway never sent.
    const stray = signDuisXml(
      buildDuisResponse({
        requestId: `${TEST_USER_ID}:${TEST_DCC_ID}:42`,
        responseCode: 'I0',
        responseDateTime: new Date(),
        serviceReference: '8.9',
        serviceReferenceVariant: '8.9',
      }),
      testDccCredentials(),
    );
    await new Promise<void>((resolve, reject) => {
      const req = httpsRequest(listener.url, { method: 'POST', rejectUnauthorized: false }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end(stray);
    });
    expect(documents.length).toBe(before + 1);
    expect(gateway.requests().map((r) => r.requestId)).not.toContain(`${TEST_USER_ID}:${TEST_DCC_ID}:42`);
  });

  it('seals queued requests at rest: an 8.11 waiting for the DCC leaves no install code on disk', async () => {
    const r = await rig();
    const sealer = await FileSecretStore.open(r.dataDir);
    await r.gateway.close();
    const gateway = createDirectDuisGateway({
      dataDir: r.dataDir,
      transport: createHttpsTransport(r.transport),
      keys: testKeyProvider,
      dccSigners: testDccSigners(),
      dccId: r.simulator.dccId,
      listener: r.listener,
      retryIntervalMs: 0,
      sealer,
    });
    cleanups.push(() => gateway.close());
    await r.simulator.setDown(true);
    const params = exampleParams('8.11', model);
    const queued = await gateway.submit('8.11', params);
    expect(queued.state).toBe('queued');
    const onDisk = readFileSync(join(r.dataDir, 'dcc-gateway.json'), 'utf8');
    expect(onDisk).toContain(queued.requestId);
    expect(onDisk).not.toContain(String(params.installCode));
    await r.simulator.setDown(false);
    expect(await gateway.flushQueue()).toEqual({ sent: 1, stillQueued: 0 });
    expect((await gateway.waitForFinal(queued.requestId)).state).toBe('completed');
    expect(r.simulator.deviceLog()[0]?.installCode).toBe(params.installCode);
  });

  it('keeps at most 16 entries in the Comms Hub device log: the 17th add fails with the device saying so', async () => {
    const { gateway, simulator } = await rig({ responseDelayMs: 10 });
    const ids = Array.from({ length: 17 }, (_, i) => `00DB1234567810${i.toString(16).toUpperCase().padStart(2, '0')}`);
    for (const id of ids)
      expect((await gateway.submit('12.2', { deviceId: id, manufacturer: 'Lab', model: 'IHD-1', deviceType: 'IHD' })).state).toBe('completed');
    const adds = await Promise.all(
      ids.map(async (deviceId) => {
        const submitted = await gateway.submit('8.11', {
          chfId: eui('CHF'),
          deviceId,
          requestType: 'Add',
          joinTimePeriod: 600,
          installCode: '00112233445566778899AABBCCDDEEFF',
        });
        return gateway.waitForFinal(submitted.requestId);
      }),
    );
    expect(adds.filter((r) => r.state === 'completed')).toHaveLength(16);
    const refused = adds.filter((r) => r.state === 'failed');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.lastError).toMatch(/did not succeed/);
    expect(simulator.deviceLog()).toHaveLength(16);
  });
});
