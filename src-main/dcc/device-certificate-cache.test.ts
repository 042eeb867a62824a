import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPremisesModel } from '../premises/premises-model';
import { ensureDeviceCertificates, SMKI_CACHE_FOLDER, smkiCacheKeyStore } from './device-certificate-cache';
import { parseDeviceCaBundle } from './device-certificate-check';
import { createDevicePki } from './emulator/device-pki';
import { startDccSimulator, type DccSimulator } from './emulator/dcc-simulator';
import { createGbcsResponder } from './emulator/gbcs-responder';
import { deviceHandlers, type SimulatedPremises } from './emulator/device-handlers';
import { handleSmkiRequest } from './emulator/smki-service';
import { toDuisEui } from './eui';
import { summariseGbcsPayload } from './gbcs/duis-payload';
import { gbcsKeySource } from './gbcs/key-source';

const DAY = 86_400_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const model = createPremisesModel(3);
const esme = model.devices.find((d) => d.type === 'ESME')!.eui64;

async function simulator(): Promise<{ simulator: DccSimulator; dir: string; anchors: readonly X509Certificate[] }> {
  const started = await startDccSimulator({ model });
  cleanups.push(() => started.stop());
  const dir = mkdtempSync(join(tmpdir(), 'han-smki-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { simulator: started, dir, anchors: parseDeviceCaBundle(started.devicePki.caCertificate) };
}
const endpointOf = (s: DccSimulator) => ({ baseUrl: s.smkiUrl, ca: s.tls.caCert });

describe('device certificates from SMKI, checked before they are kept', () => {
  it('keeps the certificates that pass the Device CA check and asks SMKI no more while they pass', async () => {
    const { simulator: sim, dir, anchors } = await simulator();
    expect(await ensureDeviceCertificates(dir, esme, endpointOf(sim), anchors)).toEqual(new Map());
    expect(readdirSync(dir).sort()).toEqual([`${esme.toLowerCase()}-ds.pem`, `${esme.toLowerCase()}-ka.pem`]);
    const lookups = sim.smkiLookups();
    expect(await ensureDeviceCertificates(dir, esme, endpointOf(sim), anchors)).toEqual(new Map());
    expect(sim.smkiLookups()).toBe(lookups);
    const store = smkiCacheKeyStore(dir, anchors);
    expect(store.publicKeys(esme, 'ka')[0]!.equals(new X509Certificate(sim.devicePki.device(esme)!.ka.certificate).publicKey)).toBe(true);
  });

  it('keeps nothing another CA issued, says why, and does not ask SMKI without a Device CA', async () => {
    const { simulator: sim, dir } = await simulator();
    const stranger = parseDeviceCaBundle(createDevicePki([]).caCertificate);
    const problems = await ensureDeviceCertificates(dir, esme, endpointOf(sim), stranger);
    expect([...problems.keys()].sort()).toEqual([`${esme.toLowerCase()}-ds`, `${esme.toLowerCase()}-ka`]);
    expect(problems.get(`${esme.toLowerCase()}-ka`)).toMatch(/was not issued by the SMKI Device CA you trust \(its issuer is CN=Z1 test SMKI Device CA\)/);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);

    const lookups = sim.smkiLookups();
    const none = await ensureDeviceCertificates(dir, esme, endpointOf(sim), []);
    expect(none.get(`${esme.toLowerCase()}-ds`)).toMatch(/no SMKI Device CA certificate is set for this connection/);
    expect(sim.smkiLookups()).toBe(lookups);
  });

  it('says when SMKI cannot be asked, and when it holds no certificate for the device', async () => {
    const { simulator: sim, dir, anchors } = await simulator();
    const unknown = await ensureDeviceCertificates(dir, '00DB000000000001', endpointOf(sim), anchors);
    expect(unknown.get('00db000000000001-ka')).toBe('SMKI holds no key agreement certificate for 00-DB-00-00-00-00-00-01');
    const url = sim.smkiUrl;
    await sim.stop();
    const down = await ensureDeviceCertificates(dir, esme, { baseUrl: url, ca: sim.tls.caCert, timeoutMs: 2000 }, anchors);
    expect(down.get(`${esme.toLowerCase()}-ka`)).toMatch(/^SMKI could not be asked for [0-9A-F-]{23}'s certificates \(.+\)$/);
  });

  it('refuses a certificate SMKI files under the wrong device', async () => {
    const { simulator: sim, dir, anchors } = await simulator();
    const other = model.devices.find((d) => d.type === 'GSME')!.eui64;
    // An SMKI that answers a search for the ESME with the GSME's certificates.
    const lying: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8').replace(toDuisEui(esme).toLowerCase(), toDuisEui(other).toLowerCase());
        const reply = handleSmkiRequest(sim.devicePki, new URL(req.url!, 'http://x').pathname, body) ?? { status: 404, body: '' };
        res.writeHead(reply.status, { 'content-type': 'application/xml' }).end(reply.body);
      });
    });
    await new Promise<void>((resolve) => lying.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => lying.close(() => resolve())));
    const problems = await ensureDeviceCertificates(dir, esme, { baseUrl: `http://127.0.0.1:${(lying.address() as AddressInfo).port}/` }, anchors);
    expect(problems.get(`${esme.toLowerCase()}-ka`)).toMatch(new RegExp(`names another device, ${toDuisEui(other)}`));
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('checks kept certificates again on every read: expired or from a CA no longer trusted, they are not used', async () => {
    const { simulator: sim, dir, anchors } = await simulator();
    await ensureDeviceCertificates(dir, esme, endpointOf(sim), anchors);
    const later = smkiCacheKeyStore(dir, anchors, new Map(), new Date(Date.now() + 40 * DAY));
    expect(later.publicKeys(esme, 'ka')).toEqual([]);
    expect(later.certificateProblem?.(esme, 'ka')).toMatch(/expired on/);
    const stranger = parseDeviceCaBundle(createDevicePki([]).caCertificate);
    const untrusted = smkiCacheKeyStore(dir, stranger);
    expect(untrusted.publicKeys(esme, 'ds')).toEqual([]);
    expect(untrusted.certificateProblem?.(esme, 'ds')).toMatch(/was not issued by the SMKI Device CA you trust/);
  });

  it('makes a device response "could not be checked" with the certificate’s reason, and certificates placed by hand stay in use', async () => {
    const { simulator: sim, dir } = await simulator();
    const respond = createGbcsResponder({ pki: sim.devicePki, userId: '90-B3-D5-1F-30-01-00-00', now: Date.now });
    const premises: SimulatedPremises = {
      model,
      smi: new Map([[toDuisEui(esme), 'Commissioned']]),
      typeOf: new Map([[toDuisEui(esme), 'ESME']]),
      deviceLog: [],
      chfId: '',
      now: Date.now,
      wrongValueWh: () => 0,
    };
    const answer = deviceHandlers['4.1.1']!.answer({ variant: '4.1.1', body: {}, target: toDuisEui(esme), counter: 5n }, premises).gbcs;
    const payload = respond({ answer, deviceId: esme, deviceType: 'ESME', requestCounter: 5n, fault: 'none' }).toString('base64');

    const stranger = parseDeviceCaBundle(createDevicePki([]).caCertificate);
    const keys = gbcsKeySource({ certificatesDir: dir, testCredentials: true, smki: endpointOf(sim), smkiDeviceCa: stranger });
    const refused = summariseGbcsPayload(payload, await keys([esme]));
    expect(refused).toMatchObject({ ok: true, mac: 'unknown', trusted: false, reading: null });
    expect(refused.ok && refused.untrustedReason).toMatch(
      /^The device message could not be checked: SMKI's key agreement certificate for .* was not issued by the SMKI Device CA you trust/,
    );

    // The engineer placed the ESME's certificate in the folder by hand: that is their own trust, used as it is.
    writeFileSync(join(dir, `${esme.toLowerCase()}-ka.pem`), sim.devicePki.device(esme)!.ka.certificate);
    const trusted = summariseGbcsPayload(payload, await keys([esme]));
    expect(trusted).toMatchObject({ ok: true, mac: 'valid', trusted: true });
    // Nothing SMKI gave was kept on the way.
    expect(existsSync(join(dir, SMKI_CACHE_FOLDER))).toBe(false);
  });
});
