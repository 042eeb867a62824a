import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { testUserCredentials } from './credentials';
import { preCommandSigningKey, signedPreCommandRequest } from './critical-request';
import { oracleValidate } from './duis-oracle.test-support';
import type { DuisResponse } from './duis-response';
import { signatureMatches } from './gbcs/crypto';
import { readFrame } from './gbcs/framing';
import { publicKeyFromPem, zaz1KeyStore } from './gbcs/keys';
import { RTDS_KEYSTORE, rtdsMessage } from './gbcs/rtds-corpus';
import { verifyDuisXml } from './xmldsig';

const user = testUserCredentials();
const supplierCertificate = publicKeyFromPem(readFileSync(join(RTDS_KEYSTORE, '90b3d51f30010000-ds.pem'), 'utf8'));
const transformAnswer = (file: string): DuisResponse => ({
  responseCode: 'I0',
  responseDateTime: '2015-01-01T00:00:00Z',
  body: { kind: 'response', preCommand: { gbcsVersion: '4.0', payload: rtdsMessage(file).toString('base64') } },
});
const ESME = '00-DB-12-34-56-78-90-A0';
const record = {
  requestId: `${user.userId}:${ESME}:1000`,
  variant: '8.1.1' as const,
  targetId: ESME,
  critical: { phase: 'transform' as const, signedCommandVariant: 5 },
};
const payloadOf = (xml: string): Buffer =>
  Buffer.from(String(new XMLParser({ removeNSPrefix: true }).parse(xml).Request.Body.SignedPreCommand.GBCSPayload), 'base64');

describe('signing the RTDS 8.1.1 pre-command as the app does', () => {
  it('the ZAZ1 User’s GBCS signing key is the RTDS supplier key, and our signed command verifies as the RTDS command does', async () => {
    const signingKey = await preCommandSigningKey(async () => zaz1KeyStore(), user.userId);
    expect(signingKey?.equals(createPrivateKey(readFileSync(join(RTDS_KEYSTORE, '90b3d51f30010000-ds.key'), 'utf8')))).toBe(true);
    const made = signedPreCommandRequest({
      record,
      response: transformAnswer('ECS70Commission_8.1.1_SUCCESS_PRECOMMAND_GBCS.HEX'),
      credentials: user,
      signingKey,
    });
    if (!made.ok) throw new Error(made.reason);
    expect(made).toMatchObject({ commandVariant: 5, useCase: 'ECS70' });
    const ours = readFrame(payloadOf(verifyDuisXml(made.signedXml, { certificates: [user.certificate] }).signedXml));
    const rtds = readFrame(rtdsMessage('ECS70Commission_8.1.1_SUCCESS_COMMAND_GBCS.HEX'));
    expect(Buffer.from(ours.signedData).equals(Buffer.from(rtds.signedData))).toBe(true);
    expect(signatureMatches(supplierCertificate, ours.signedData, ours.signature!)).toBe(true);
    expect(signatureMatches(supplierCertificate, rtds.signedData, rtds.signature!)).toBe(true);
    // DCC's own validator (DUIS Schema V5.1 + XML signature) accepts the SignedPreCommand request.
    const [verdict] = await oracleValidate([made.signedXml]);
    expect(verdict, verdict?.output).toMatchObject({ ok: true });
  });

  it('refuses to sign a pre-command for another device, for another counter, or without a signing key', () => {
    const response = transformAnswer('ECS70Commission_8.1.1_SUCCESS_PRECOMMAND_GBCS.HEX');
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const other = { ...record, targetId: '00-DB-12-34-56-78-90-A1', requestId: `${user.userId}:00-DB-12-34-56-78-90-A1:1000` };
    expect(signedPreCommandRequest({ record: other, response, credentials: user, signingKey: key })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/nothing was signed: the pre-command is for device 00DB1234567890A0/),
    });
    expect(
      signedPreCommandRequest({ record: { ...record, requestId: `${user.userId}:${ESME}:999` }, response, credentials: user, signingKey: key }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/counter 1000, not our request's 999/),
    });
    expect(signedPreCommandRequest({ record, response, credentials: user, signingKey: undefined })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no GBCS digital-signing key is held for User 90-B3-D5-1F-30-01-00-00/),
    });
    expect(signedPreCommandRequest({ record, response: { ...response, body: { kind: 'response' } }, credentials: user, signingKey: key })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/returned no pre-command/),
    });
  });
});
