import { generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDeviceCertificate, deviceCertificateProfile, parseDeviceCaBundle } from './device-certificate-check';
import { createDevicePki } from './emulator/device-pki';
import { issueCaCertificate, issueCertificate, type CertificateProfile } from './emulator/test-ca';

const RTDS_KEYSTORE = join(__dirname, '../../../shared/data/gbcs/rtds/keystore');
const DAY = 86_400_000;
const EUI = '00DB1234567890A0';

/** A test Device CA whose key the test holds, to issue certificates with the flaw each case needs. */
function deviceCa(validDays = 30): {
  certificate: X509Certificate;
  issue: (profile: CertificateProfile, options?: { validDays?: number; key?: KeyObject }) => X509Certificate;
} {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = 'Check test SMKI Device CA';
  const certificate = new X509Certificate(issueCaCertificate(name, keys, validDays));

  return {
    certificate,
    issue: (profile, options = {}) =>
      new X509Certificate(
        issueCertificate({
          subject: 'device',
          issuer: name,
          publicKey: options.key ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
          issuerKey: keys.privateKey,
          issuerPublicKey: keys.publicKey,
          profile,
          validDays: options.validDays ?? 30,
        }),
      ),
  };
}

describe('SMKI Device Certificate profile', () => {
  it('reads the device EUI-64 and the one key usage of every RTDS device certificate as its file is named', () => {
    const files = readdirSync(RTDS_KEYSTORE).filter((f) => /^00db[0-9a-f]{12}-(ka|ds)\.pem$/.test(f));
    expect(files.length).toBe(400);
    for (const file of files) {
      const profile = deviceCertificateProfile(new X509Certificate(readFileSync(join(RTDS_KEYSTORE, file))));
      expect({ eui: profile.eui?.toLowerCase(), usage: profile.usage }, file).toEqual({ eui: file.slice(0, 16), usage: file.slice(17, 19) });
    }
  });
});

describe('checkDeviceCertificate', () => {
  it('accepts every certificate the simulator’s SMKI Device CA issued, for its own device and usage', () => {
    const pki = createDevicePki([{ eui64: EUI, type: 'ESME' }]);
    const anchors = parseDeviceCaBundle(pki.caCertificate);
    const device = pki.device(EUI)!;
    expect(checkDeviceCertificate(new X509Certificate(device.ka.certificate), { eui: EUI, usage: 'ka' }, anchors)).toEqual({ ok: true });
    expect(checkDeviceCertificate(new X509Certificate(device.ds.certificate), { eui: '00-DB-12-34-56-78-90-A0', usage: 'ds' }, anchors)).toEqual({ ok: true });
    // The same certificates, asked for the other usage or another device, are refused.
    expect(checkDeviceCertificate(new X509Certificate(device.ka.certificate), { eui: EUI, usage: 'ds' }, anchors)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/digital signing certificate for 00-DB-12-34-56-78-90-A0 is not for digital signing alone/),
    });
    expect(checkDeviceCertificate(new X509Certificate(device.ka.certificate), { eui: '00DB1234567890A1', usage: 'ka' }, anchors)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/names another device, 00-DB-12-34-56-78-90-A0/),
    });
  });

  it('refuses a certificate another CA issued, and any certificate when no Device CA is set', () => {
    const pki = createDevicePki([{ eui64: EUI, type: 'ESME' }]);
    const other = createDevicePki([{ eui64: EUI, type: 'ESME' }], 'Another SMKI Device CA');
    const certificate = new X509Certificate(other.device(EUI)!.ka.certificate);
    expect(checkDeviceCertificate(certificate, { eui: EUI, usage: 'ka' }, parseDeviceCaBundle(pki.caCertificate))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/was not issued by the SMKI Device CA you trust \(its issuer is CN=Another SMKI Device CA\)/),
    });
    expect(checkDeviceCertificate(certificate, { eui: EUI, usage: 'ka' }, [])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/cannot be checked: no SMKI Device CA certificate is set/),
    });
    // RTDS device certificates come from the DCC test Device CA "E357", which is not the simulator's.
    const rtds = new X509Certificate(readFileSync(join(RTDS_KEYSTORE, '00db1234567890a0-ka.pem')));
    expect(checkDeviceCertificate(rtds, { eui: EUI, usage: 'ka' }, parseDeviceCaBundle(pki.caCertificate))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/its issuer is CN=E357/),
    });
  });

  it('refuses a certificate whose signature was altered, though it names the right issuer', () => {
    const ca = deviceCa();
    const der = Buffer.from(ca.issue({ kind: 'smki-device', usage: 'keyAgreement', eui: EUI }).raw);
    der[der.length - 5] ^= 0x01; // inside the signature's s
    const altered = new X509Certificate(der);
    expect(checkDeviceCertificate(altered, { eui: EUI, usage: 'ka' }, [ca.certificate])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/signature that does not verify with the SMKI Device CA's key/),
    });
  });

  it('refuses an expired certificate, and one whose Device CA has expired, on the day given', () => {
    const ca = deviceCa(30);
    const shortLived = ca.issue({ kind: 'smki-device', usage: 'digitalSignature', eui: EUI }, { validDays: 1 });
    expect(checkDeviceCertificate(shortLived, { eui: EUI, usage: 'ds' }, [ca.certificate])).toEqual({ ok: true });
    expect(checkDeviceCertificate(shortLived, { eui: EUI, usage: 'ds' }, [ca.certificate], new Date(Date.now() + 2 * DAY))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/expired on \d{4}-\d\d-\d\d/),
    });
    expect(checkDeviceCertificate(shortLived, { eui: EUI, usage: 'ds' }, [ca.certificate], new Date(Date.now() - 2 * DAY))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/is not valid until/),
    });
    const shortCa = deviceCa(1);
    const longLived = shortCa.issue({ kind: 'smki-device', usage: 'digitalSignature', eui: EUI }, { validDays: 30 });
    expect(checkDeviceCertificate(longLived, { eui: EUI, usage: 'ds' }, [shortCa.certificate], new Date(Date.now() + 2 * DAY))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/SMKI Device CA whose certificate is valid only from/),
    });
  });

  it('refuses a key that is not P-256 and a certificate that names no device', () => {
    const ca = deviceCa();
    const p384 = ca.issue({ kind: 'smki-device', usage: 'keyAgreement', eui: EUI }, { key: generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey });
    expect(checkDeviceCertificate(p384, { eui: EUI, usage: 'ka' }, [ca.certificate])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not hold a P-256 key/),
    });
    const tls = ca.issue({ kind: 'tls' });
    expect(checkDeviceCertificate(tls, { eui: EUI, usage: 'ds' }, [ca.certificate])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/names no device/),
    });
  });
});

describe('parseDeviceCaBundle', () => {
  it('takes one or more CA certificates and refuses text that holds none, or a certificate that is not a CA', () => {
    const a = createDevicePki([]);
    const b = createDevicePki([], 'Root');
    expect(parseDeviceCaBundle(`${a.caCertificate}\n${b.caCertificate}`).map((c) => c.subject)).toEqual(['CN=Z1 test SMKI Device CA', 'CN=Root']);
    expect(() => parseDeviceCaBundle('not a certificate')).toThrow(/holds no PEM certificate/);
    const device = createDevicePki([{ eui64: EUI, type: 'ESME' }]).device(EUI)!;
    expect(() => parseDeviceCaBundle(device.ka.certificate)).toThrow(/certificate 1 in the SMKI Device CA field is not a CA certificate/);
  });
});
