import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DCC_ID, testDccCredentials, testDccSigners, testKeyProvider } from '../credentials';
import { createDirectDuisGateway } from '../direct-gateway';
import { buildDuisResponse, unverifiedRequestId } from '../duis-response';
import { DccReadError, dccReadingSource } from '../read-verification';
import { startResponseListener } from '../response-listener';
import type { DccTransport } from '../transport';
import { signDuisXml } from '../xmldsig';
import { gbcsKeySource } from './key-source';
import { RTDS_KEYSTORE, rtdsMessage } from './rtds-corpus';

/**
 * A DCC Boxed stand-in: I99 to the 4.1.1, then the device's GBCS response (the RTDS ECS17b single success, from
 * ESME 00-DB-12-34-56-78-90-A0 to the ZAZ1 supplier) POSTed, DCC-signed, to our receive-response listener.
 */
const ESME = '00-DB-12-34-56-78-90-A0';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gbcsRig(payload: Buffer) {
  const dataDir = mkdtempSync(join(tmpdir(), 'han-gbcs-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  // The folder of known device certificates in the data folder holds the ESME's key-agreement certificate.
  const certificatesDir = join(dataDir, 'device-certificates');
  mkdirSync(certificatesDir);
  copyFileSync(join(RTDS_KEYSTORE, '00db1234567890a0-ka.pem'), join(certificatesDir, '00db1234567890a0-ka.pem'));
  const gbcsKeys = gbcsKeySource({ certificatesDir, testCredentials: true });
  const listener = await startResponseListener({ signers: testDccSigners(), gbcsKeys });
  cleanups.push(() => listener.close());
  const transport: DccTransport = {
    async post(_endpoint, xml) {
      const requestId = unverifiedRequestId(xml)!;
      const response = buildDuisResponse({
        requestId,
        responseCode: 'I0',
        responseDateTime: new Date(),
        serviceReference: '4.1.1',
        serviceReferenceVariant: '4.1.1',
        gbcs: payload,
      });
      setTimeout(() => void fetch(listener.url, { method: 'POST', body: signDuisXml(response, testDccCredentials()) }), 10);
      return { status: 200, body: signDuisXml(buildDuisResponse({ requestId, responseCode: 'I99', responseDateTime: new Date() }), testDccCredentials()) };
    },
  };
  const gateway = createDirectDuisGateway({
    dataDir,
    transport,
    keys: testKeyProvider,
    dccSigners: testDccSigners(),
    dccId: TEST_DCC_ID,
    listener,
    retryIntervalMs: 0,
    gbcsKeys,
  });
  cleanups.push(() => gateway.close());
  return gateway;
}

describe('a GBCS device response through the receive-response listener', () => {
  it('becomes a verified reading from the decrypted register', async () => {
    const gateway = await gbcsRig(rtdsMessage('ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX'));
    const reading = await dccReadingSource(gateway, ESME, 20_000).read();
    expect(reading).toMatchObject({ source: 'dcc', value: 10, unit: 'Wh', valueWh: 10 });
    expect(reading.reference).toMatch(/GBCS ECS17b, MAC valid, decrypted/);
    const [record] = gateway.requests();
    expect(record).toMatchObject({ state: 'completed', gbcs: { ok: true, mac: 'valid', trusted: true, reading: { value: 10, unit: 'Wh' } } });
  });

  it('refuses a tampered one with its reason and keeps nothing from its content', async () => {
    const tampered = Buffer.from(rtdsMessage('ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX'));
    tampered[60]! ^= 0x01; // inside the DLMS content
    const gateway = await gbcsRig(tampered);
    const failure = await dccReadingSource(gateway, ESME, 20_000)
      .read()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(DccReadError);
    expect((failure as Error).message).toMatch(/signature-invalid: The device message was refused: its MAC does not verify/);
    const [record] = gateway.requests();
    expect(record).toMatchObject({ state: 'signature-invalid', gbcs: { ok: true, mac: 'invalid', trusted: false, result: null, reading: null } });
  });
});
