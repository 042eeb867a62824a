import { describe, expect, it, beforeAll } from 'vitest';
import { createPremisesModel } from '../premises/premises-model';
import { TEST_DCC_ID, TEST_USER_ID, testUserCredentials } from './credentials';
import { oracleSign, oracleValidate, type OracleVerdict } from './duis-oracle.test-support';
import { buildDuisRequest, DuisParamsError, type BuiltRequest } from './request-builder';
import { exampleParams } from './request-examples';
import { SERVICE_REQUEST_VARIANTS, type ServiceRequestVariant } from './service-requests';
import { DuisSignatureError, signDuisXml, verifyDuisXml } from './xmldsig';

const model = createPremisesModel(7, Date.UTC(2026, 0, 1));
const user = testUserCredentials();
const userSigners = { certificates: [user.certificate] };
let counter = 1_700_000_000_000n;
const build = (variant: ServiceRequestVariant, params: unknown): BuiltRequest =>
  buildDuisRequest({ variant, params, userId: TEST_USER_ID, dccId: TEST_DCC_ID, counter: () => counter++ });

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof DuisSignatureError ? error.reason : `other: ${String(error)}`;
  }
  return 'no error';
}

// Every request type as generated, plus the variants a single example does not cover.
const cases: { label: string; request: BuiltRequest }[] = [
  ...SERVICE_REQUEST_VARIANTS.map((variant) => ({ label: variant, request: build(variant, exampleParams(variant, model)) })),
  { label: '8.11 Remove', request: build('8.11', { chfId: model.devices[0]!.eui64, deviceId: model.devices[3]!.eui64, requestType: 'Remove' }) },
  { label: '12.1 UPRN', request: build('12.1', { uprn: '100023336956' }) },
  {
    label: '8.9 security details, future dated',
    request: build('8.9', { deviceId: model.devices[1]!.eui64, readSecurityDetails: true, executionDateTime: '2026-02-01T10:00:00Z' }),
  },
  {
    label: '11.2 Comms Hub, future dated, local delivery',
    request: build('11.2', { deviceId: model.devices[0]!.eui64, executionDateTime: '2026-02-01T10:00:00Z', commandVariant: 2 }),
  },
];

describe('DUIS requests against DCC’s validator (oracle, DUIS Schema V5.1)', () => {
  const signed = cases.map((c) => signDuisXml(c.request.xml, user));
  const tamperedContent = signed[SERVICE_REQUEST_VARIANTS.indexOf('8.11')]!.replace(/<sr:JoinTimePeriod>3600</, '<sr:JoinTimePeriod>60<');
  const tamperedSignature = signed[0]!.replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`);
  let verdicts: OracleVerdict[] = [];
  let javaSigned = '';

  beforeAll(async () => {
    [verdicts, [javaSigned]] = await Promise.all([
      oracleValidate([...signed, tamperedContent, tamperedSignature, cases[0]!.request.xml]),
      Promise.all([oracleSign(cases[SERVICE_REQUEST_VARIANTS.indexOf('4.1.1')]!.request.xml)]),
    ]);
  }, 120_000);

  it.each(cases.map((c, i) => [c.label, i] as const))('%s passes schema and signature validation', (_label, i) => {
    expect(verdicts[i]!.output).not.toMatch(/validation failed|error/);
    expect(verdicts[i]!.ok).toBe(true);
  });

  it('each signed request verifies with our own code and covers exactly the unsigned request', () => {
    for (const [i, xml] of signed.entries()) {
      const verified = verifyDuisXml(xml, userSigners);
      expect(verified.signedXml).toContain(cases[i]!.request.requestId);
      expect(verified.signedXml).not.toContain('Signature');
    }
  });

  it('a request whose content changed after signing fails both the oracle and our check', () => {
    expect(verdicts[signed.length]!.ok).toBe(false);
    expect(verdicts[signed.length]!.output).toMatch(/failed signature check|validation failed/);
    expect(reason(() => verifyDuisXml(tamperedContent, userSigners))).toBe('digest-mismatch');
  });

  it('a request with a corrupted signature value fails both the oracle and our check', () => {
    expect(verdicts[signed.length + 1]!.ok).toBe(false);
    expect(reason(() => verifyDuisXml(tamperedSignature, userSigners))).toBe('bad-signature');
  });

  it('the oracle refuses an unsigned request and our check reports the signature as missing', () => {
    expect(verdicts[signed.length + 2]!.ok).toBe(false);
    expect(verdicts[signed.length + 2]!.output).toContain('signature missing');
    expect(reason(() => verifyDuisXml(cases[0]!.request.xml, userSigners))).toBe('missing');
  });

  it('a request signed by DCC’s own tool verifies with our code (same key, r‖s signature, line-wrapped base64)', () => {
    expect(javaSigned).toContain('<ds:SignatureValue>');
    expect(verifyDuisXml(javaSigned, userSigners).signedXml).toContain('ReadInstantaneousImportRegisters');
  });
});

describe('request builder', () => {
  it('puts header fields, CommandVariant and endpoint per the spec', () => {
    const byVariant = Object.fromEntries(cases.slice(0, SERVICE_REQUEST_VARIANTS.length).map((c) => [c.label, c.request]));
    for (const variant of ['8.14.1', '8.14.2', '12.1', '12.2'] as const) {
      expect(byVariant[variant]!.commandVariant).toBe(8);
      expect(byVariant[variant]!.endpoint).toBe('serviceD');
      expect(byVariant[variant]!.targetId).toBe(TEST_DCC_ID);
    }
    for (const variant of ['8.11', '8.9', '8.7.2', '4.1.1', '11.2'] as const) {
      expect(byVariant[variant]!.commandVariant).toBe(1);
      expect(byVariant[variant]!.endpoint).toBe('serviceS');
    }
    expect(byVariant['4.1.1']!.xml).toContain('<sr:ServiceReference>4.1</sr:ServiceReference><sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant>');
    expect(byVariant['11.2']!.xml).toContain(
      '<sr:ServiceReference>11.2</sr:ServiceReference><sr:ServiceReferenceVariant>11.2</sr:ServiceReferenceVariant></sr:Header><sr:Body><sr:ReadFirmwareVersion/>',
    );
    expect(cases.find((c) => c.label.startsWith('11.2 Comms Hub'))!.request.xml).toContain(
      '<sr:ReadFirmwareVersion><sr:ExecutionDateTime>2026-02-01T10:00:00Z</sr:ExecutionDateTime></sr:ReadFirmwareVersion>',
    );
    expect(byVariant['8.11']!.requestId.startsWith(`${TEST_USER_ID}:${byVariant['8.11']!.targetId}:`)).toBe(true);
    expect(byVariant['8.11']!.xml).not.toMatch(/>\s+</);
  });

  it('rejects invalid parameters with every problem named and does not use a counter', () => {
    let used = 0;
    const attempt = (): unknown =>
      buildDuisRequest({
        variant: '8.11',
        params: { chfId: 'nope', deviceId: model.devices[2]!.eui64, requestType: 'Add', joinTimePeriod: 4000, installCode: 'ABC' },
        userId: TEST_USER_ID,
        dccId: TEST_DCC_ID,
        counter: () => BigInt(++used),
      });
    expect(attempt).toThrow(DuisParamsError);
    expect(attempt).toThrow(/chfId.*joinTimePeriod.*installCode/);
    expect(used).toBe(0);
    expect(() => build('8.11', { chfId: model.devices[0]!.eui64, deviceId: model.devices[2]!.eui64, requestType: 'Add' })).toThrow(/Add needs/);
    expect(() => build('4.1.1', { deviceId: model.devices[1]!.eui64, commandVariant: 8 })).toThrow(DuisParamsError);
    expect(() => build('12.1', { uprn: '1', postcode: 'RG1 1AA' })).toThrow(DuisParamsError);
  });

  it('refuses characters XML forbids (a NUL was signed before), naming the field', () => {
    for (const bad of ['meter\u0000cupboard', 'bell\u0007', 'half \uD800 surrogate', '\uFFFF'])
      expect(() => build('8.14.1', { ...exampleParams('8.14.1', model), additionalInformation: bad })).toThrow(
        /additionalInformation: contains a control character/,
      );
    expect(build('8.14.1', { ...exampleParams('8.14.1', model), additionalInformation: 'tab\there, emoji 🔌' }).xml).toContain('emoji 🔌');
  });

  it('escapes text so free-text fields cannot inject markup', () => {
    const request = build('8.14.1', { ...exampleParams('8.14.1', model), additionalInformation: 'meter <cupboard> & "hall"' });
    expect(request.xml).toContain('meter &lt;cupboard&gt; &amp; &quot;hall&quot;');
  });
});
