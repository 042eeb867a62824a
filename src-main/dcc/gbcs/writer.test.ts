import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeGbcs } from './decode';
import { readFrame } from './framing';
import { combineKeyStores, type GbcsKeyStore } from './keys';
import { loadRtds, rtdsMessage } from './rtds-corpus';
import { accessResponse, ecs17bRegisters, protectedDlmsData, writeGbcsMessage } from './writer';

const pair = (): { privateKey: KeyObject; publicKey: KeyObject } => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const device = { ka: pair(), ds: pair() };
const user = { ka: pair() };
const ESME = '00db1234567890a0';
const USER = '90b3d51f30010000';

/** What the User holds: its own key-agreement key and the device's certificates (public keys). */
const userKeys: GbcsKeyStore = combineKeyStores([
  {
    publicKeys: (eui, usage) => (eui === ESME ? [device[usage].publicKey] : eui === USER && usage === 'ka' ? [user.ka.publicKey] : []),
    privateKeys: (eui, usage) => (eui === USER && usage === 'ka' ? [user.ka.privateKey] : []),
    brokers: [],
  },
]);

describe('GBCS writer', () => {
  it('writes an encrypted ECS17b response the reader verifies and decrypts to its register', () => {
    const counter = 4242n;
    const data = protectedDlmsData(ecs17bRegisters(123_456, 7), {
      originator: ESME,
      recipient: USER,
      counter,
      devicePrivateKey: device.ka.privateKey,
      userPublicKey: user.ka.publicKey,
    });
    const message = writeGbcsMessage({
      cra: 'response',
      counter,
      originator: ESME,
      recipient: USER,
      messageCode: 0x0027,
      content: accessResponse(counter, data),
      mac: { privateKey: device.ka.privateKey, publicKey: user.ka.publicKey },
    });
    expect(decodeGbcs(message, userKeys)).toMatchObject({
      ok: true,
      useCase: 'ECS17b',
      mac: 'valid',
      encrypted: true,
      decryption: 'decrypted',
      trusted: true,
      reading: { value: 123_456, unit: 'Wh' },
    });
  });

  it('re-frames the content of every RTDS response with our own device keys: valid MAC, or valid signature where the original was signed', () => {
    for (const original of loadRtds().filter((m) => m.kind === 'RESPONSE')) {
      const frame = readFrame(original.bytes);
      const header = frame.header;
      const supplementary = header.supplementaryRemotePartyId ? Buffer.concat([header.supplementaryRemotePartyId, Buffer.alloc(8)]) : undefined;
      const message = writeGbcsMessage({
        cra: header.cra,
        counter: header.counter,
        originator: ESME,
        recipient: USER,
        messageCode: header.messageCode,
        ...(header.dateTime ? { dateTime: header.dateTime } : {}),
        ...(supplementary ? { supplementary } : {}),
        content: frame.content,
        ...(frame.signature ? { signingKey: device.ds.privateKey } : { mac: { privateKey: device.ka.privateKey, publicKey: user.ka.publicKey } }),
      });
      const decoded = decodeGbcs(message, userKeys);
      expect(decoded, original.name).toMatchObject({
        ok: true,
        trusted: true,
        messageCode: '0x' + header.messageCode.toString(16).toUpperCase().padStart(4, '0'),
      });
      if (decoded.ok) expect(frame.signature ? decoded.signature : decoded.mac, original.name).toBe('valid');
    }
  });

  it('a message MAC’d for another User is invalid for us', () => {
    const content = readFrame(rtdsMessage('ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX')).content;
    const message = writeGbcsMessage({
      cra: 'response',
      counter: 1n,
      originator: ESME,
      recipient: USER,
      messageCode: 0x0059,
      content,
      mac: { privateKey: device.ka.privateKey, publicKey: pair().publicKey },
    });
    expect(decodeGbcs(message, userKeys)).toMatchObject({ ok: true, mac: 'invalid', trusted: false, result: null });
  });
});
