import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DccStatus, VerificationView } from '../../../src-shared/ipc/channels/dcc';
import { testUserCredentials } from '../../dcc/credentials';
import { dccEmulatorFactory } from '../../dcc/emulator/dcc-emulator';
import { startDccSimulator } from '../../dcc/emulator/dcc-simulator';
import { esmeImportWh } from '../../premises/premises-model';
import { createAppServices } from '../app-services';

const dataDir = mkdtempSync(join(tmpdir(), 'han-dcc-app-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The app's services on the training premises with only the DCC simulator running. */
function startServices(dir: string): ReturnType<typeof createAppServices> {
  return createAppServices({ dataDir: dir, owner: 'test', premises: 'on', emulators: [dccEmulatorFactory], engineer: 'Tester', pollIntervalMs: 60_000 });
}

describe('DCC through the app contract (training premises)', () => {
  it('reports the test credentials, verifies the ESME end to end into the job, and fails when the DCC answers a wrong value', async () => {
    const services = await startServices(dataDir);
    const seen: unknown[] = [];
    services.events.subscribe((channel, payload) => void (channel === 'dcc:request' && seen.push(payload)));
    try {
      const status = await services.dispatch('dcc:status', undefined);
      expect(status).toMatchObject({ ok: true, value: { mode: 'training-simulator', testCredentials: true, userId: '90-B3-D5-1F-30-01-00-00', queued: 0 } });
      expect((status as { value: DccStatus }).value.listenerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

      const premisesEsme = services.premises!.model.devices.find((d) => d.type === 'ESME')!.eui64;
      const address = { line1: '1 Test Street', town: 'Reading', postcode: 'RG1 1AA' };
      const withoutEsme = await services.dispatch('jobs:create', { premises: { address } });
      const noEsme = await services.dispatch('dcc:verify', { method: 'han-vs-dcc', jobId: (withoutEsme as { value: { id: string } }).value.id });
      expect(noEsme).toMatchObject({ ok: false, error: { code: 'NO_ESME' } });

      const created = await services.dispatch('jobs:create', { premises: { address }, devices: [{ type: 'ESME', eui64: premisesEsme }] });
      const jobId = (created as { value: { id: string } }).value.id;
      const han = await services.dispatch('dcc:verify', { method: 'han-vs-dcc', jobId });
      expect(han).toMatchObject({ ok: true, value: { pass: true } });

      const model = services.premises!.model;
      const shownKWh = (Math.floor(esmeImportWh(model.esmeRegister, Date.now()) / 100) / 10).toFixed(1);
      const display = await services.dispatch('dcc:verify', { method: 'display-vs-dcc', displayValue: shownKWh, jobId });
      expect(display).toMatchObject({ ok: true, value: { pass: true } });
      const sources = [(display as { value: VerificationView }).value.first.source, (display as { value: VerificationView }).value.second.source].sort();
      expect(sources).toEqual(['dcc', 'display']);

      expect(await services.dispatch('dcc:simulatorFaults', { wrongValueWh: 250_000 })).toEqual({ ok: true, value: true });
      const wrong = await services.dispatch('dcc:verify', { method: 'display-vs-dcc', displayValue: shownKWh, jobId });
      expect(wrong).toMatchObject({ ok: true, value: { pass: false } });

      const requests = await services.dispatch('dcc:requests', undefined);
      expect((requests as { value: { serviceRequest: string; state: string; responseCode: string }[] }).value).toEqual([
        expect.objectContaining({ serviceRequest: '4.1.1', state: 'completed', responseCode: 'I0' }),
        expect.objectContaining({ serviceRequest: '4.1.1', state: 'completed', responseCode: 'I0' }),
        expect.objectContaining({ serviceRequest: '4.1.1', state: 'completed', responseCode: 'I0' }),
      ]);
      expect(seen.length).toBeGreaterThanOrEqual(6); // each read: queued, sent, acknowledged/completed … as events
      const job = await services.dispatch('jobs:get', { id: jobId });
      const timeline = (job as { value: { timeline: { kind: string; details: string }[] } }).value.timeline.filter((e) => e.kind === 'verification.recorded');
      expect(timeline.map((e) => JSON.parse(e.details).pass)).toEqual([true, true, false]);
      expect(JSON.parse(timeline[2]!.details)).toMatchObject({
        first: { unit: expect.any(String), takenAt: expect.any(String) },
        second: { source: expect.any(String) },
      });

      expect(await services.dispatch('dcc:verify', { method: 'display-vs-dcc' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });

      // DCC down: the read fails at once with a reason, stays queued, the engineer is told, and it goes when the DCC is back.
      const notices: unknown[] = [];
      services.events.subscribe((channel, payload) => void (channel === 'app:notice' && notices.push(payload)));
      await services.dispatch('dcc:simulatorFaults', { down: true });
      expect(await services.dispatch('dcc:verify', { method: 'han-vs-dcc' })).toMatchObject({
        ok: false,
        error: { code: 'DCC_READ_FAILED', message: expect.stringContaining('unreachable') },
      });
      expect(await services.dispatch('dcc:status', undefined)).toMatchObject({ ok: true, value: { queued: 1 } });
      expect(notices).toEqual([{ level: 'warning', message: expect.stringContaining('1 request is waiting') }]);
      await services.dispatch('dcc:simulatorFaults', { down: false });
      expect(await services.dispatch('dcc:retryQueued', undefined)).toEqual({ ok: true, value: { sent: 1, stillQueued: 0 } });
      await services.dispatch('dcc:simulatorFaults', { errorCode: 'E20', wrongValueWh: 0 });
      expect(await services.dispatch('dcc:verify', { method: 'han-vs-dcc' })).toMatchObject({
        ok: false,
        error: { code: 'DCC_READ_FAILED', message: expect.stringContaining('E20') },
      });
    } finally {
      await services.close();
    }
  });

  it('says no DCC is configured without the training premises', async () => {
    const services = await createAppServices({ dataDir: join(dataDir, 'none'), owner: 'test', premises: 'off', engineer: 'Tester', pollIntervalMs: 60_000 });
    try {
      expect(await services.dispatch('dcc:status', undefined)).toEqual({ ok: true, value: { mode: 'none', testCredentials: false, queued: 0 } });
      expect(await services.dispatch('dcc:verify', { method: 'han-vs-dcc' })).toMatchObject({ ok: false, error: { code: 'DCC_NOT_CONFIGURED' } });
    } finally {
      await services.close();
    }
  });

  it('configures the training premises’ own simulator like a DCC Boxed (its CA from the status, the ZAZ1 test User) and verifies over it', async () => {
    const dir = join(dataDir, 'own-simulator');
    const services = await startServices(dir);
    try {
      const before = ((await services.dispatch('dcc:status', undefined)) as { value: DccStatus }).value;
      const endpoint = before.trainingSimulator!;
      expect(endpoint.baseUrl).toBe(`https://127.0.0.1:${services.premises!.ports.dcc}/api/v1`);
      expect(endpoint.caCertPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
      expect(endpoint.caCertPem).not.toContain('PRIVATE KEY');

      const user = testUserCredentials();
      const input = {
        baseUrl: endpoint.baseUrl,
        userId: '90-B3-D5-1F-30-01-00-00',
        userCertificatePem: user.certificate.toString(),
        userPrivateKeyPem: user.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      };
      // Without the simulator's CA its start-up certificate is not trusted: the read fails and waits in the queue.
      expect(await services.dispatch('dcc:configure', input)).toMatchObject({ ok: true, value: { mode: 'direct' } });
      expect(await services.dispatch('dcc:verify', { method: 'han-vs-dcc' })).toMatchObject({
        ok: false,
        error: { code: 'DCC_READ_FAILED', message: expect.stringContaining('unreachable') },
      });

      const configured = await services.dispatch('dcc:configure', { ...input, caPem: endpoint.caCertPem });
      expect(configured).toMatchObject({
        ok: true,
        value: { mode: 'direct', baseUrl: endpoint.baseUrl, testCredentials: true, trainingSimulator: endpoint, queued: 1 },
      });
      // Trusting the CA, the waiting read goes through.
      expect(await services.dispatch('dcc:retryQueued', undefined)).toEqual({ ok: true, value: { sent: 1, stillQueued: 0 } });
      // No receive-response wiring by the test: the app points its own simulator at the new listener.
      expect(await services.dispatch('dcc:verify', { method: 'han-vs-dcc' })).toMatchObject({ ok: true, value: { pass: true } });
      const shown = ((await services.dispatch('dcc:status', undefined)) as { value: DccStatus }).value.trainingMeterDisplayKWh!;
      expect(await services.dispatch('dcc:verify', { method: 'display-vs-dcc', displayValue: shown })).toMatchObject({ ok: true, value: { pass: true } });
      expect(await services.dispatch('dcc:simulatorFaults', { wrongValueWh: 250_000 })).toEqual({ ok: true, value: true });
      expect(await services.dispatch('dcc:verify', { method: 'display-vs-dcc', displayValue: shown })).toMatchObject({ ok: true, value: { pass: false } });
      const requests = ((await services.dispatch('dcc:requests', undefined)) as { value: { serviceRequest: string; state: string; responseCode?: string }[] })
        .value;
      expect(requests.map((r) => r.serviceRequest)).toEqual(['4.1.1', '4.1.1', '4.1.1', '4.1.1']);
      expect(requests.slice(1).map((r) => [r.state, r.responseCode])).toEqual([
        ['completed', 'I0'],
        ['completed', 'I0'],
        ['completed', 'I0'],
      ]);

      // Forgetting it goes back to the pre-wired simulator, which still answers.
      await services.dispatch('dcc:simulatorFaults', { wrongValueWh: 0 });
      expect(await services.dispatch('dcc:forget', undefined)).toMatchObject({ ok: true, value: { mode: 'training-simulator' } });
      expect(await services.dispatch('dcc:verify', { method: 'han-vs-dcc' })).toMatchObject({ ok: true, value: { pass: true } });
    } finally {
      await services.close();
    }
  });

  it('switches to a configured DCC Boxed–style connection with mutual TLS, seals its keys, and forgets it again', async () => {
    const dir = join(dataDir, 'direct');
    const services = await startServices(dir);
    // A second simulator stands in for a lab's DCC Boxed that insists on a client certificate.
    const lab = await startDccSimulator({ model: services.premises!.model, requireClientCertificate: true, responseDelayMs: 20 });
    try {
      const user = testUserCredentials();
      const userKeyPem = user.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      const input = {
        baseUrl: lab.baseUrl,
        smkiUrl: lab.smkiUrl,
        // The lab's SMKI Device CA: the ESME's certificates from its SMKI are used only because it issued them.
        smkiDeviceCaPem: lab.devicePki.caCertificate,
        userId: '90B3D51F30010000',
        caPem: lab.tls.caCert,
        userCertificatePem: user.certificate.toString(),
        userPrivateKeyPem: userKeyPem,
        clientCertPem: lab.tls.clientCert,
        clientKeyPem: lab.tls.clientKey,
      };
      const wrongKey = await services.dispatch('dcc:configure', { ...input, userPrivateKeyPem: lab.tls.clientKey });
      expect(wrongKey).toMatchObject({ ok: false, error: { code: 'DCC_CONFIG_INVALID', message: expect.stringContaining('does not belong') } });

      const notCa = await services.dispatch('dcc:configure', { ...input, smkiDeviceCaPem: lab.tls.clientCert });
      expect(notCa).toMatchObject({ ok: false, error: { message: expect.stringContaining('in the SMKI Device CA field is not a CA certificate') } });

      const configured = await services.dispatch('dcc:configure', input);
      expect(configured).toMatchObject({ ok: true, value: { mode: 'direct', baseUrl: lab.baseUrl, userId: '90-B3-D5-1F-30-01-00-00', testCredentials: true } });
      lab.setReceiveResponseUrl((configured as { value: DccStatus }).value.listenerUrl!);
      const model = services.premises!.model;
      const shownKWh = (Math.floor(esmeImportWh(model.esmeRegister, Date.now()) / 100) / 10).toFixed(1);
      expect(await services.dispatch('dcc:verify', { method: 'display-vs-dcc', displayValue: shownKWh })).toMatchObject({ ok: true, value: { pass: true } });
      expect(lab.received().map((r) => r.variant)).toEqual(['4.1.1']);
      expect(lab.smkiLookups()).toBeGreaterThan(0); // the ESME's certificates came from the lab's SMKI

      const saved = readFileSync(join(dir, 'dcc', 'connection.json'), 'utf8');
      expect(saved).not.toContain('PRIVATE KEY');
      expect(saved).not.toContain(userKeyPem.split('\n')[1]!);

      expect(await services.dispatch('dcc:forget', undefined)).toMatchObject({ ok: true, value: { mode: 'training-simulator' } });
    } finally {
      await lab.stop();
      await services.close();
    }
  });
  it('says where the GBCS signing key comes from, and refuses a signing key on the wrong curve beside its field', async () => {
    const services = await startServices(join(dataDir, 'signing-key'));
    try {
      const training = ((await services.dispatch('dcc:status', undefined)) as { value: DccStatus }).value;
      expect(training).toMatchObject({ mode: 'training-simulator', gbcsSigningKey: 'test-pki' });
      const user = testUserCredentials();
      const input = {
        baseUrl: training.trainingSimulator!.baseUrl,
        caPem: training.trainingSimulator!.caCertPem,
        userId: '90B3D51F30010000',
        userCertificatePem: user.certificate.toString(),
        userPrivateKeyPem: user.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      };
      const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      expect(await services.dispatch('dcc:configure', { ...input, userDigitalSigningKeyPem: p384 })).toEqual({
        ok: false,
        error: { code: 'DCC_CONFIG_INVALID', message: expect.stringContaining('not a P-256 EC key'), fields: ['userDigitalSigningKeyPem'] },
      });
      const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      expect(await services.dispatch('dcc:configure', { ...input, userDigitalSigningKeyPem: p256 })).toMatchObject({
        ok: true,
        value: { mode: 'direct', gbcsSigningKey: 'secret-store' },
      });
    } finally {
      await services.close();
    }
  });
});
