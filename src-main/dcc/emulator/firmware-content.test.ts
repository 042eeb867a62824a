import { describe, expect, it } from 'vitest';
import { createPremisesModel } from '../../premises/premises-model';
import { decodeGbcs } from '../gbcs/decode';
import { readFrame } from '../gbcs/framing';
import { GBCS_DATA_DIR, readHexText, rtdsKeys, rtdsMessage } from '../gbcs/rtds-corpus';
import { writeGbcsMessage } from '../gbcs/writer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatedFirmwareVersion } from './device-firmware';
import { asn1FirmwareContent, dlmsFirmwareContent, gbzFirmwareContent } from './gbcs-content';

/**
 * 11.2 answers against the published bytes: with the RTDS values (version 0123ABCD, RTDS counters and devices)
 * the simulator's content builders, framed by our writer, reproduce each RTDS 4.5.0 SUCCESS response byte for
 * byte — the MAC included, keyed from the recipient's side (ECDH is symmetric: the RTDS keystore holds the User's
 * and the ACB's private keys and the devices' certificates).
 */
const keys = rtdsKeys();

function reframe(name: string, content: Buffer): Buffer {
  const original = rtdsMessage(name);
  const { header } = readFrame(original);
  const originator = Buffer.from(header.originator).toString('hex');
  const recipient = Buffer.from(header.recipient).toString('hex');
  const supplementary = header.supplementaryRemotePartyId
    ? Buffer.concat([header.supplementaryRemotePartyId, Buffer.from(header.supplementaryRemotePartyCounter!.toString(16).padStart(16, '0'), 'hex')])
    : undefined;
  return writeGbcsMessage({
    cra: 'response',
    counter: header.counter,
    originator,
    recipient,
    messageCode: header.messageCode,
    ...(supplementary ? { supplementary } : {}),
    content,
    mac: { privateKey: keys.privateKeys(recipient, 'ka')[0]!, publicKey: keys.publicKeys(originator, 'ka')[0]! },
  });
}

describe('11.2 firmware version content, as the RTDS and a DCC Boxed lay it out', () => {
  it('ECS52 (ESME): the RTDS SUCCESS response, byte for byte', () => {
    const original = rtdsMessage('ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX');
    expect(reframe('ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX', dlmsFirmwareContent(1000n, '0123ABCD')).toString('hex')).toBe(original.toString('hex'));
  });

  it('GCS38 (GSME, GBZ): the RTDS SUCCESS response, byte for byte', () => {
    const original = rtdsMessage('GCS38_11.2_SUCCESS_RESPONSE_GBCS.HEX');
    expect(reframe('GCS38_11.2_SUCCESS_RESPONSE_GBCS.HEX', gbzFirmwareContent('0123ABCD')).toString('hex')).toBe(original.toString('hex'));
  });

  it('CS08 (PPMID via the ACB, the User as supplementary remote party): the RTDS SUCCESS response, byte for byte', () => {
    const original = rtdsMessage('CS08_11.2_SUCCESS_RESPONSE_GBCS.HEX');
    expect(reframe('CS08_11.2_SUCCESS_RESPONSE_GBCS.HEX', asn1FirmwareContent('0123ABCD')).toString('hex')).toBe(original.toString('hex'));
  });

  it('ECS52 from a Comms Hub: the content of both DCC Boxed captures (invoke id from the ACB command’s counter)', () => {
    for (const [file, version] of [
      ['boxed_ecs52_11.2_readfw_response.hex', '0C230000'],
      ['boxed_ecs52_11.2_readme_response.hex', '00020000'],
    ] as const) {
      const frame = readFrame(readHexText(readFileSync(join(GBCS_DATA_DIR, 'boxed', file), 'utf8')));
      expect(Buffer.from(frame.content).toString('hex'), file).toBe(dlmsFirmwareContent(frame.header.counter, version).toString('hex'));
    }
  });

  it('each simulated device has its own four-octet version, the same for the same seed', () => {
    const model = createPremisesModel(4);
    const versions = model.devices.map((d) => simulatedFirmwareVersion(model, d.eui64));
    for (const version of versions) expect(version).toMatch(/^0[1-4][0-9A-F]{4}00$/);
    expect(new Set(versions).size).toBe(versions.length);
    expect(createPremisesModel(4).devices.map((d) => simulatedFirmwareVersion(createPremisesModel(4), d.eui64))).toEqual(versions);
    expect(simulatedFirmwareVersion(model, model.devices[1]!.eui64)).toBe(
      simulatedFirmwareVersion(model, model.devices[1]!.eui64.replace(/(..)(?!$)/g, '$1-')),
    );
    const other = createPremisesModel(5);
    expect(other.devices.map((d) => simulatedFirmwareVersion(other, d.eui64))).not.toEqual(versions);
  });
});

describe('11.2 error answers (RTDS ERROR responses)', () => {
  it.each(['ECS52', 'GCS38', 'CS08'])('%s: the reader reports the device’s failure, never a version', (useCase) => {
    const decoded = decodeGbcs(rtdsMessage(`${useCase}_11.2_ERROR_RESPONSE_GBCS.HEX`), keys);
    expect(decoded).toMatchObject({ ok: true, mac: 'valid', useCase, result: { kind: 'device-response', success: false } });
  });
});
