import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signatureMatches } from './crypto';
import { decodeGbcs } from './decode';
import { readFrame } from './framing';
import { publicKeyFromPem } from './keys';
import { checkPreCommand, signPreCommand } from './pre-command';
import { RTDS_KEYSTORE, rtdsKeys, rtdsMessage } from './rtds-corpus';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const supplierSigningKey = createPrivateKey(readFileSync(join(RTDS_KEYSTORE, '90b3d51f30010000-ds.key'), 'utf8'));
const supplierCertificate = publicKeyFromPem(readFileSync(join(RTDS_KEYSTORE, '90b3d51f30010000-ds.pem'), 'utf8'));

const PAIRS = [
  { folder: 'ECS70Commission_8.1.1_SUCCESS', sr: '8.1.1', device: '00-DB-12-34-56-78-90-A0' },
  { folder: 'GCS28Commission_8.1.1_SUCCESS', sr: '8.1.1', device: '00-DB-12-34-56-78-90-A1' },
  { folder: 'CS03A1_8.7.1_SUCCESS', sr: '8.7.1', device: '00-DB-12-34-56-78-90-A0' },
];

describe('pre-command signing against the RTDS critical commands', () => {
  it.each(PAIRS)('$folder: our signature over the pre-command verifies as the RTDS command does', ({ folder, sr, device }) => {
    const preCommand = rtdsMessage(`${folder}_PRECOMMAND_GBCS.HEX`);
    const command = readFrame(rtdsMessage(`${folder}_COMMAND_GBCS.HEX`));
    const checked = checkPreCommand(preCommand, { serviceReference: sr, originator: SUPPLIER, recipient: device });
    expect(checked).toMatchObject({ ok: true });
    if (!checked.ok) return;
    const signed = signPreCommand(checked.unsigned, supplierSigningKey);
    const ours = readFrame(signed);
    // The same input: what we signed is byte for byte what the RTDS command's signature covers …
    expect(Buffer.from(ours.signedData).equals(Buffer.from(command.signedData))).toBe(true);
    // … and both signatures verify with the supplier's certificate (ECDSA is randomised, so they differ).
    expect(signatureMatches(supplierCertificate, command.signedData, command.signature!)).toBe(true);
    expect(signatureMatches(supplierCertificate, ours.signedData, ours.signature!)).toBe(true);
    expect(decodeGbcs(signed, rtdsKeys())).toMatchObject({ ok: true, cra: 'command', signature: 'valid' });
  });

  it('a pre-command signed with another key does not verify', () => {
    const checked = checkPreCommand(rtdsMessage('ECS70Commission_8.1.1_SUCCESS_PRECOMMAND_GBCS.HEX'), {
      serviceReference: '8.1.1',
      originator: SUPPLIER,
      recipient: '00DB1234567890A0',
    });
    if (!checked.ok) throw new Error(checked.reason);
    const wrong = signPreCommand(checked.unsigned, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    expect(decodeGbcs(wrong, rtdsKeys())).toMatchObject({ ok: true, signature: 'invalid', trusted: false });
  });

  it('refuses a pre-command for another request, device or originator, and a finished command', () => {
    const preCommand = rtdsMessage('ECS70Commission_8.1.1_SUCCESS_PRECOMMAND_GBCS.HEX');
    const base = { serviceReference: '8.1.1', originator: SUPPLIER, recipient: '00-DB-12-34-56-78-90-A0' };
    expect(checkPreCommand(preCommand, { ...base, serviceReference: '8.7.1' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/0x0062 \(ECS70\) is not a 8.7.1 request/),
    });
    expect(checkPreCommand(preCommand, { ...base, recipient: '00-DB-12-34-56-78-90-A1' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/for device 00DB1234567890A0, not 00DB1234567890A1/),
    });
    expect(checkPreCommand(preCommand, { ...base, originator: '90-B3-D5-1F-30-03-00-00' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not from us/),
    });
    expect(checkPreCommand(preCommand, { ...base, counter: 7n })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/counter 1000, not our request's 7/),
    });
    expect(checkPreCommand(rtdsMessage('ECS70Commission_8.1.1_SUCCESS_COMMAND_GBCS.HEX'), base)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not a pre-command/),
    });
    expect(checkPreCommand(Buffer.of(0xdf, 0x09), base)).toMatchObject({ ok: false, reason: expect.stringMatching(/not readable GBCS/) });
  });

  it("accepts DCC Boxed's form with an empty signature field", () => {
    const preCommand = Buffer.concat([rtdsMessage('ECS70Commission_8.1.1_SUCCESS_PRECOMMAND_GBCS.HEX'), Buffer.of(0)]);
    const checked = checkPreCommand(preCommand, { serviceReference: '8.1.1', originator: SUPPLIER, recipient: '00DB1234567890A0' });
    expect(checked.ok && checked.unsigned.length).toBe(preCommand.length - 1);
  });
});
