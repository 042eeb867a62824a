import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPremisesModel } from '../premises/premises-model';
import { FileSecretStore } from '../secrets/file-secret-store';
import { testConnectionInput } from './connection-input.test-support';
import { connectionParts, saveDccConnection } from './dcc-config';
import { createDirectDuisGateway } from './direct-gateway';
import { startDccSimulator, type DccSimulator } from './emulator/dcc-simulator';
import { labOrganisation } from './emulator/organisation-certificates.test-support';
import { gbcsKeySource, type GbcsKeySource } from './gbcs/key-source';
import { startResponseListener } from './response-listener';
import { createHttpsTransport } from './transport';

/**
 * Critical requests signed with the User's own GBCS digital-signing key (sealed in the secret store), against a
 * simulated DCC that knows that User's Organisation Certificate as SMKI would: over TLS, serviceT → pre-command →
 * signed with the unsealed key → serviceS → the device's signed response verified.
 */
const model = createPremisesModel(7);
const eui = (type: string): string => model.devices.find((d) => d.type === type)!.eui64;
const USER = '90B3D51F30010000';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulatorKnowing(certificates: readonly string[]): Promise<DccSimulator> {
  const simulator = await startDccSimulator({ model, responseDelayMs: 50, organisationCertificates: certificates });
  cleanups.push(() => simulator.stop());
  return simulator;
}

/** A gateway as the app builds it for a saved connection (or with the key source given), and a count of unsealings. */
async function connect(simulator: DccSimulator, input: Record<string, unknown>, keySource?: (dir: string) => GbcsKeySource) {
  const dir = mkdtempSync(join(tmpdir(), 'han-ds-key-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const store = await FileSecretStore.open(dir);
  let unsealed = 0;
  const secrets = { encrypt: (t: string) => store.encrypt(t), decrypt: (t: string) => (unsealed++, store.decrypt(t)) };
  const stored = await saveDccConnection(dir, secrets, {
    ...testConnectionInput(),
    baseUrl: simulator.baseUrl,
    caPem: simulator.tls.caCert,
    smkiUrl: simulator.smkiUrl,
    smkiDeviceCaPem: simulator.devicePki.caCertificate,
    ...input,
  });
  const parts = await connectionParts(stored, secrets, dir, { endpoint: { baseUrl: simulator.smkiUrl, ca: simulator.tls.caCert } });
  const gbcsKeys = keySource ? keySource(dir) : parts.gbcsKeys;
  const listener = await startResponseListener({ signers: parts.signers, gbcsKeys });
  cleanups.push(() => listener.close());
  simulator.setReceiveResponseUrl(listener.url);
  const gateway = createDirectDuisGateway({
    dataDir: join(dir, 'direct'),
    transport: createHttpsTransport({ ...parts.transport, timeoutMs: 10_000 }),
    keys: parts.keys,
    dccSigners: parts.signers,
    dccId: stored.dccId,
    listener,
    gbcsKeys,
    responseTimeoutMs: 15_000,
    retryIntervalMs: 0,
  });
  cleanups.push(() => gateway.close());
  const commission = async (device: string) => gateway.waitForFinal((await gateway.submit('8.1.1', { deviceId: device, tolerancePeriod: 600 })).requestId);
  return { commission, unsealed: () => unsealed };
}

const legs = (simulator: DccSimulator, requestId: string): string[] =>
  simulator
    .received()
    .filter((r) => r.requestId === requestId)
    .map((r) => `${r.endpoint} ${r.code}`);

describe("critical requests signed with the User's sealed GBCS digital-signing key", () => {
  it('8.1.1 signed with the sealed key is accepted by a DCC that knows its Organisation Certificate, and the device answers', async () => {
    const lab = labOrganisation(USER);
    const simulator = await simulatorKnowing([lab.certificatePem]);
    const app = await connect(simulator, { userDigitalSigningKeyPem: lab.privateKeyPem });
    const before = app.unsealed();
    const done = await app.commission(eui('ESME'));
    expect(done).toMatchObject({
      state: 'completed',
      responseCode: 'I0',
      critical: { phase: 'signed', useCase: 'ECS70' },
      gbcs: { useCase: 'ECS70', signature: 'valid', trusted: true, result: { success: true } },
    });
    expect(legs(simulator, done.requestId)).toEqual(['serviceT I0', 'serviceS I99']);
    expect(simulator.smiStatus(eui('ESME'))).toBe('Commissioned');
    // Unsealed for the signing (and for the response's key look-up), not kept from the connection's start.
    expect(app.unsealed()).toBeGreaterThan(before);

    const gas = await app.commission(eui('GSME'));
    expect(gas).toMatchObject({ state: 'completed', gbcs: { useCase: 'GCS28', signature: 'valid', trusted: true } });
  });

  it('once the lab’s certificate is registered, a pre-command signed with the ZAZ1 supplier key is refused with E4', async () => {
    const simulator = await simulatorKnowing([labOrganisation(USER).certificatePem]);
    // No sealed key: the connection falls back to the ZAZ1 test key, which SMKI no longer holds for this User.
    const app = await connect(simulator, {});
    const refused = await app.commission(eui('ESME'));
    expect(refused).toMatchObject({ state: 'rejected', responseCode: 'E4', critical: { phase: 'signed' } });
    expect(legs(simulator, refused.requestId)).toEqual(['serviceT I0']);
    expect(simulator.smiStatus(eui('ESME'))).toBe('InstalledNotCommissioned');
  });

  it('a key that is not the registered one is refused too (the simulator’s check is not “any signature”)', async () => {
    const simulator = await simulatorKnowing([labOrganisation(USER).certificatePem]);
    const app = await connect(simulator, { userDigitalSigningKeyPem: labOrganisation(USER).privateKeyPem });
    expect(await app.commission(eui('ESME'))).toMatchObject({ state: 'rejected', responseCode: 'E4' });
    expect(simulator.smiStatus(eui('ESME'))).toBe('InstalledNotCommissioned');
  });

  it('with no signing key for the User, the request ends after serviceT saying what to do; nothing is signed or sent on', async () => {
    const simulator = await simulatorKnowing([]);
    // A User outside the ZAZ1 test PKI with no key in the secret store: the key source holds no 'ds' key for it.
    const app = await connect(simulator, {}, (dir) =>
      gbcsKeySource({
        certificatesDir: join(dir, 'device-certificates'),
        testCredentials: false,
        smki: { baseUrl: simulator.smkiUrl, ca: simulator.tls.caCert },
        smkiDeviceCa: [new X509Certificate(simulator.devicePki.caCertificate)],
      }),
    );
    const failed = await app.commission(eui('ESME'));
    expect(failed).toMatchObject({ state: 'failed', critical: { phase: 'transform' } });
    expect(failed.lastError).toMatch(/^no GBCS digital-signing key is held for User 90-B3-D5-1F-30-01-00-00/);
    expect(failed.lastError).toContain('add the User\'s GBCS digital-signing key under "Connect to a DCC Boxed or test lab"');
    expect(legs(simulator, failed.requestId)).toEqual(['serviceT I0']);
    expect(simulator.smiStatus(eui('ESME'))).toBe('InstalledNotCommissioned');
  });
});
