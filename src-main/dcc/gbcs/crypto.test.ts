import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeMac, decryptContent, deriveMessageKey, encryptContent, encryptionTransactionId, signatureMatches } from './crypto';
import { readFrame } from './framing';
import { publicKeyFromPem } from './keys';
import { GBCS_DATA_DIR, readHexText, RTDS_KEYSTORE } from './rtds-corpus';

/** GBCS section 18.4: a critical ECS04b command from Supplier A (123456789ABCDEF0) to Device A (FFFFFFFFFFFFFFFE). */
const VECTOR = readHexText(readFileSync(join(GBCS_DATA_DIR, 'spec/gbcs_18.4_ecs04b_critical_command.hex'), 'utf8'));
const supplierSigning = publicKeyFromPem(readFileSync(join(GBCS_DATA_DIR, 'spec/123456789abcdef0-ds.pem'), 'utf8'));
const acbAgreement = createPrivateKey(readFileSync(join(RTDS_KEYSTORE, 'abababababababab-ka.key'), 'utf8'));
const deviceAgreement = publicKeyFromPem(readFileSync(join(RTDS_KEYSTORE, 'fffffffffffffffe-ka.pem'), 'utf8'));

describe('GBCS 18.4 cryptographic test vector', () => {
  const frame = readFrame(VECTOR);
  const parties = { originator: frame.header.originator, transactionId: frame.header.transactionId, recipient: frame.header.recipient };

  it('its signature verifies with the supplier key, and not after a change', () => {
    expect(signatureMatches(supplierSigning, frame.signedData, frame.signature!)).toBe(true);
    const changed = Buffer.from(frame.signedData);
    changed[changed.length - 1]! ^= 1;
    expect(signatureMatches(supplierSigning, changed, frame.signature!)).toBe(false);
  });

  it('its MAC is the GMAC under the ACB/device key (ECDH + SP 800-56A KDF), IV = originator ‖ 00000000', () => {
    const key = deriveMessageKey(acbAgreement, deviceAgreement, parties);
    expect(computeMac(key, frame.header.originator, frame.macHeader!.authenticatedData).toString('hex').toUpperCase()).toBe('5D832D15B57A56D620F198B3');
    expect(Buffer.from(frame.macHeader!.mac).toString('hex').toUpperCase()).toBe('5D832D15B57A56D620F198B3');
  });
});

describe('content encryption', () => {
  it('decrypts what was encrypted with the same agreed key, and refuses a changed tag or another key', () => {
    const device = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const user = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const parties = {
      originator: Buffer.from('00DB1234567890A0', 'hex'),
      transactionId: encryptionTransactionId(Buffer.alloc(8, 1)),
      recipient: Buffer.from('90B3D51F30010000', 'hex'),
    };
    const sent = encryptContent(deriveMessageKey(device.privateKey, user.publicKey, parties), parties.originator, Buffer.from('02010204060000000A', 'hex'));
    const key = deriveMessageKey(user.privateKey, device.publicKey, parties);
    expect(decryptContent(key, parties.originator, sent)?.toString('hex')).toBe('02010204060000000a');
    const changed = Buffer.from(sent);
    changed[changed.length - 1]! ^= 0x80;
    expect(decryptContent(key, parties.originator, changed)).toBeUndefined();
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(decryptContent(deriveMessageKey(other.privateKey, device.publicKey, parties), parties.originator, sent)).toBeUndefined();
  });
});
