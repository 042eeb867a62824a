import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPremisesModel, esmeImportWh } from '../premises/premises-model';
import { testDccSigners, testKeyProvider, testUserCredentials } from './credentials';
import type { DccGateway } from './dcc-gateway';
import { createDirectDuisGateway } from './direct-gateway';
import { parseDuisResponse } from './duis-response';
import { startDccSimulator, type DccSimulator } from './emulator/dcc-simulator';
import { toDuisEui } from './eui';
import { combineKeyStores, zaz1KeyStore, type GbcsKeyStore } from './gbcs/keys';
import type { GbcsKeySource } from './gbcs/key-source';
import { readFrame } from './gbcs/framing';
import { buildDuisRequest, buildSignedPreCommandXml } from './request-builder';
import { exampleParams } from './request-examples';
import { startResponseListener } from './response-listener';
import { createHttpsTransport, DccTransportError, type DccTransport } from './transport';
import { verifyDuisXml, signDuisXml } from './xmldsig';

const model = createPremisesModel(5);
const eui = (type: string): string => model.devices.find((d) => d.type === type)!.eui64;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The User's keys (ZAZ1) plus the device certificates the simulator's SMKI holds. */
const keysFor = (simulator: DccSimulator, first: GbcsKeyStore[] = []): GbcsKeySource => {
  const store = combineKeyStores([...first, zaz1KeyStore(), simulator.devicePki.keyStore()]);
  return async () => store;
};

async function rig(options: { gbcsFirst?: GbcsKeyStore[]; wrapTransport?: (inner: DccTransport) => DccTransport } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'han-critical-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const simulator = await startDccSimulator({ model, responseDelayMs: 50 });
  cleanups.push(() => simulator.stop());
  const gbcsKeys = keysFor(simulator, options.gbcsFirst);
  const listener = await startResponseListener({ signers: testDccSigners(), gbcsKeys });
  cleanups.push(() => listener.close());
  simulator.setReceiveResponseUrl(listener.url);
  const transport = createHttpsTransport({ baseUrl: simulator.baseUrl, ca: simulator.tls.caCert, timeoutMs: 10_000 });
  const make = (): DccGateway => {
    const gateway = createDirectDuisGateway({
      dataDir,
      transport: options.wrapTransport ? options.wrapTransport(transport) : transport,
      keys: testKeyProvider,
      dccSigners: testDccSigners(),
      dccId: simulator.dccId,
      listener,
      gbcsKeys,
      responseTimeoutMs: 15_000,
      retryIntervalMs: 0,
    });
    cleanups.push(() => gateway.close());
    return gateway;
  };
  return { simulator, transport, make, gateway: make() };
}

const final = async (gateway: DccGateway, variant: Parameters<DccGateway['submit']>[0], params: unknown) =>
  gateway.waitForFinal((await gateway.submit(variant, params)).requestId);

describe('critical requests against the simulator over TLS', () => {
  it('8.11 → 8.7.2 → 8.1.1 commission (ECS70, signed pre-command) → 4.1.1 read', async () => {
    const { gateway, simulator } = await rig();
    expect(await final(gateway, '8.11', exampleParams('8.11', model))).toMatchObject({ state: 'completed' });
    expect(await final(gateway, '8.7.2', exampleParams('8.7.2', model))).toMatchObject({ state: 'completed' });
    expect(simulator.smiStatus(eui('ESME'))).toBe('InstalledNotCommissioned');

    const commission = await final(gateway, '8.1.1', { deviceId: eui('ESME') });
    expect(commission).toMatchObject({
      state: 'completed',
      responseCode: 'I0',
      endpoint: 'serviceS',
      commandVariant: 5,
      critical: { phase: 'signed', useCase: 'ECS70', signedCommandVariant: 5 },
      gbcs: { ok: true, useCase: 'ECS70', cra: 'response', signature: 'valid', mac: 'absent', trusted: true, result: { success: true } },
    });
    // One Transform (I0 with the pre-command), then one signed pre-command on serviceS (I99), same RequestID.
    expect(simulator.received().filter((r) => r.requestId === commission.requestId)).toEqual([
      { requestId: commission.requestId, variant: '8.1.1', endpoint: 'serviceT', code: 'I0' },
      { requestId: commission.requestId, variant: '8.1.1', endpoint: 'serviceS', code: 'I99' },
    ]);
    expect(simulator.smiStatus(eui('ESME'))).toBe('Commissioned');

    const before = esmeImportWh(model.esmeRegister, Date.now());
    const read = await final(gateway, '4.1.1', { deviceId: eui('ESME') });
    expect(read.state).toBe('completed');
    const valueWh = read.mmc?.data.kind === 'import-register' ? read.mmc.data.valueWh : read.gbcs?.ok ? read.gbcs.reading?.value : undefined;
    expect(valueWh).toBeGreaterThanOrEqual(before);
  });

  it('8.1.1 commissions the GSME (GCS28), answered with the GSME’s signature', async () => {
    const { gateway, simulator } = await rig();
    const done = await final(gateway, '8.1.1', { deviceId: eui('GSME'), tolerancePeriod: 600 });
    expect(done).toMatchObject({ state: 'completed', critical: { useCase: 'GCS28' }, gbcs: { useCase: 'GCS28', signature: 'valid', trusted: true } });
    expect(simulator.smiStatus(eui('GSME'))).toBe('Commissioned');
  });

  it('8.7.1 joins a whitelisted PPMID by Method A (CS03A1); one not on the hub log fails with its join reason', async () => {
    const { gateway, simulator } = await rig();
    const params = { deviceId: eui('ESME'), otherDeviceId: eui('PPMID') };
    const unlisted = await final(gateway, '8.7.1', params);
    expect(unlisted).toMatchObject({
      state: 'failed',
      gbcs: { useCase: 'CS03A1', trusted: true, result: { kind: 'join', success: false, reason: 'noCBKEResponse' } },
    });
    expect(simulator.smiStatus(eui('PPMID'))).toBe('Pending');

    const ppmid = model.devices.find((d) => d.type === 'PPMID')!;
    const add = { chfId: eui('CHF'), deviceId: ppmid.eui64, requestType: 'Add', joinTimePeriod: 3600, installCode: ppmid.installCode };
    expect(await final(gateway, '8.11', add)).toMatchObject({ state: 'completed' });
    const joined = await final(gateway, '8.7.1', params);
    expect(joined).toMatchObject({
      state: 'completed',
      gbcs: { useCase: 'CS03A1', signature: 'valid', result: { kind: 'join', success: true, reason: 'success' } },
    });
    expect(simulator.smiStatus(eui('PPMID'))).toBe('Commissioned');
    expect(simulator.deviceLog()).toEqual([expect.objectContaining({ deviceId: toDuisEui(eui('PPMID')), joined: true })]);
  });

  it('a pre-command signed with a key that is not the User’s is refused with E4 and never reaches the device', async () => {
    const wrong = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const impostor: GbcsKeyStore = { publicKeys: () => [], privateKeys: (_e, usage) => (usage === 'ds' ? [wrong.privateKey] : []), brokers: [] };
    const { gateway, simulator } = await rig({ gbcsFirst: [impostor] });
    const refused = await final(gateway, '8.1.1', { deviceId: eui('ESME') });
    expect(refused).toMatchObject({ state: 'rejected', responseCode: 'E4', critical: { phase: 'signed' } });
    expect(simulator.smiStatus(eui('ESME'))).toBe('InstalledNotCommissioned');
    expect(
      simulator
        .received()
        .filter((r) => r.requestId === refused.requestId)
        .map((r) => r.endpoint),
    ).toEqual(['serviceT']);
  });

  it('refuses an unsigned pre-command (E4), a critical request with CV 1 (E12) and CV 4 on serviceS (E13)', async () => {
    const { transport, simulator } = await rig();
    const user = testUserCredentials();
    let counter = BigInt(Date.now()) * 10n;
    const build = () =>
      buildDuisRequest({ variant: '8.1.1', params: { deviceId: eui('ESME') }, userId: user.userId, dccId: simulator.dccId, counter: () => counter++ });
    const post = async (endpoint: 'serviceS' | 'serviceT', xml: string) =>
      parseDuisResponse(verifyDuisXml((await transport.post(endpoint, signDuisXml(xml, user))).body, testDccSigners()).signedXml);

    const transform = build();
    const answer = await post('serviceT', transform.xml);
    expect(answer).toMatchObject({ responseCode: 'I0', body: { preCommand: { payload: expect.any(String) } } });
    const preCommand = Buffer.from(answer.body.kind === 'response' ? answer.body.preCommand!.payload : '', 'base64');
    expect(readFrame(preCommand)).toMatchObject({ preCommand: true, header: { cra: 'command', counter: counter - 1n } });
    const unsigned = buildSignedPreCommandXml({ requestId: transform.requestId, commandVariant: 5, variant: '8.1.1', gbcs: preCommand });
    expect(await post('serviceS', unsigned)).toMatchObject({ responseCode: 'E4' });

    expect(await post('serviceS', build().xml.replace('<sr:CommandVariant>4<', '<sr:CommandVariant>1<'))).toMatchObject({ responseCode: 'E12' });
    expect(await post('serviceS', build().xml)).toMatchObject({ responseCode: 'E13' });
    expect(simulator.smiStatus(eui('ESME'))).toBe('InstalledNotCommissioned');
  });

  it('after the DCC became unreachable between the legs, the signed pre-command is resent from the outbox, without a second Transform', async () => {
    let down = true;
    const flaky = (inner: DccTransport): DccTransport => ({
      post: (endpoint, xml) =>
        endpoint === 'serviceS' && down ? Promise.reject(new DccTransportError('unreachable', 'DCC unreachable (test)')) : inner.post(endpoint, xml),
    });
    const r = await rig({ wrapTransport: flaky });
    const queued = await r.gateway.submit('8.1.1', { deviceId: eui('ESME') });
    expect(queued).toMatchObject({ state: 'queued', endpoint: 'serviceS', critical: { phase: 'signed', useCase: 'ECS70' } });
    expect(r.gateway.queued().map((q) => q.requestId)).toEqual([queued.requestId]);
    // The app restarts: the queued signed pre-command is still there and is what gets sent.
    await r.gateway.close();
    down = false;
    const again = r.make();
    await again.flushQueue();
    expect(await again.waitForFinal(queued.requestId)).toMatchObject({ state: 'completed', gbcs: { useCase: 'ECS70', trusted: true } });
    expect(
      r.simulator
        .received()
        .filter((x) => x.requestId === queued.requestId)
        .map((x) => x.endpoint),
    ).toEqual(['serviceT', 'serviceS']);
  });

  it('two flushes overlapping (the retry timer and a step retry) send each queued leg once', async () => {
    let down = true;
    const flaky = (inner: DccTransport): DccTransport => ({
      post: (endpoint, xml) => (down ? Promise.reject(new DccTransportError('unreachable', 'DCC unreachable (test)')) : inner.post(endpoint, xml)),
    });
    const r = await rig({ wrapTransport: flaky });
    const first = await r.gateway.submit('8.1.1', { deviceId: eui('ESME') });
    const second = await r.gateway.submit('8.9', { deviceId: eui('CHF') });
    expect(r.gateway.queued().map((q) => q.requestId)).toEqual([first.requestId, second.requestId]);
    down = false;
    // Each flush works from its own snapshot of the outbox; what one has sent the other must not send again.
    await Promise.all([r.gateway.flushQueue(), r.gateway.flushQueue(), r.gateway.flushQueue()]);
    expect((await r.gateway.waitForFinal(first.requestId)).state).toBe('completed');
    expect((await r.gateway.waitForFinal(second.requestId)).state).toBe('completed');
    const legs = r.simulator.received().map((x) => `${x.variant} ${x.endpoint}`);
    expect(legs.filter((l) => l.startsWith('8.1.1')).sort()).toEqual(['8.1.1 serviceS', '8.1.1 serviceT']);
    expect(legs.filter((l) => l.startsWith('8.9'))).toHaveLength(1);
  });
});
