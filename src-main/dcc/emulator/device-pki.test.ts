import { createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPremisesModel } from '../../premises/premises-model';
import { decodeGbcs } from '../gbcs/decode';
import { combineKeyStores, userKeyStore } from '../gbcs/keys';
import { rtdsMessage } from '../gbcs/rtds-corpus';
import { readFrame } from '../gbcs/framing';
import { writeGbcsMessage } from '../gbcs/writer';
import { createDevicePki, createUnregisteredDevice } from './device-pki';

const model = createPremisesModel(7);
const devices = [...model.devices, model.rf.gpf];
const pki = createDevicePki(devices);

describe('simulated devices’ SMKI identities', () => {
  it('gives every device of the premises (ESME, GSME, IHD, PPMID, CHF, GPF) its own two key pairs', () => {
    expect(new Set(devices.map((d) => d.type))).toEqual(new Set(['ESME', 'GSME', 'IHD', 'PPMID', 'CHF', 'GPF']));
    const publicKeys = new Set<string>();
    for (const device of devices) {
      const identity = pki.device(device.eui64)!;
      expect(identity.eui).toBe(device.eui64);
      expect(identity.type).toBe(device.type);
      for (const usage of ['ka', 'ds'] as const) {
        const pair = identity[usage];
        expect(createPublicKey(pair.privateKey).export({ format: 'jwk' })).toEqual(pair.publicKey.export({ format: 'jwk' }));
        publicKeys.add(JSON.stringify(pair.publicKey.export({ format: 'jwk' })));
      }
    }
    expect(publicKeys.size).toBe(devices.length * 2);
    // any EUI form is accepted; an unknown device has no identity
    expect(pki.device(devices[0]!.eui64.match(/../g)!.join('-').toLowerCase())?.eui).toBe(devices[0]!.eui64);
    expect(pki.device('0000000000000001')).toBeUndefined();
    expect(pki.device('not an eui')).toBeUndefined();
  });

  it('issues SMKI-shaped device certificates from the test Device CA: empty subject, EUI-64 in the subjectAltName, one key usage', () => {
    const ca = new X509Certificate(pki.caCertificate);
    expect(ca.ca).toBe(true);
    for (const identity of pki.devices()) {
      for (const usage of ['ka', 'ds'] as const) {
        const cert = new X509Certificate(identity[usage].certificate);
        expect(cert.verify(ca.publicKey)).toBe(true);
        expect(cert.checkIssued(ca)).toBe(true);
        expect(cert.subject ?? '').toBe('');
        expect(cert.subjectAltName).toContain('othername');
        expect(cert.serialNumber.toUpperCase()).toBe(identity[usage].serial);
        expect(cert.publicKey.equals(identity[usage].publicKey)).toBe(true);
        const der = cert.raw.toString('hex');
        expect(der).toContain(identity.eui.toLowerCase());
        // KeyUsage extension 2.5.29.15, critical, one bit: keyAgreement (08) or digitalSignature (80)
        expect(der).toContain(`0603551d0f0101ff040403020${usage === 'ka' ? '008' : '080'}`);
      }
    }
  });

  it('issues a later device once and keeps its identity', () => {
    const local = createDevicePki([]);
    const first = local.issue('00-DB-12-34-56-78-90-A9', 'IHD');
    expect(local.issue('00DB1234567890A9', 'IHD')).toBe(first);
    expect(local.devices()).toEqual([first]);
  });

  it('its key store verifies a response the device signs and MACs for a User', () => {
    const esme = pki.devices().find((d) => d.type === 'ESME')!;
    const user = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keys = combineKeyStores([pki.keyStore(), userKeyStore('90B3D51F30010000', user.privateKey)]);
    const frame = readFrame(rtdsMessage('ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX'));
    const spec = {
      cra: 'response' as const,
      counter: 1n,
      originator: esme.eui,
      recipient: '90B3D51F30010000',
      messageCode: frame.header.messageCode,
      content: frame.content,
    };
    expect(decodeGbcs(writeGbcsMessage({ ...spec, mac: { privateKey: esme.ka.privateKey, publicKey: user.publicKey } }), keys)).toMatchObject({
      mac: 'valid',
      trusted: true,
    });
    expect(decodeGbcs(writeGbcsMessage({ ...spec, signingKey: esme.ds.privateKey }), keys)).toMatchObject({ signature: 'valid', trusted: true });
    // a device SMKI never certified signs with keys no certificate of the CA vouches for
    const rogue = createUnregisteredDevice(esme.eui);
    expect(decodeGbcs(writeGbcsMessage({ ...spec, signingKey: rogue.ds.privateKey }), keys)).toMatchObject({ signature: 'invalid', trusted: false });
    expect(new X509Certificate(rogue.ds.certificate).checkIssued(new X509Certificate(pki.caCertificate))).toBe(false);
  });
});
