import { describe, expect, it } from 'vitest';
import { TEST_USER_ID, testUserCredentials } from '../dcc/credentials';
import { SERVICE_REQUEST_VARIANTS } from '../dcc/service-requests';
import { verifyDuisXml } from '../dcc/xmldsig';
import { captureIo } from './capture-io.test-support';
import { duisCommand } from './duis-command';
import { runCli } from './run-cli';

describe('hantool duis', () => {
  it.each(SERVICE_REQUEST_VARIANTS)('prints a complete signed %s from the training premises and says test credentials are in use', async (variant) => {
    const io = captureIo();
    expect(await runCli(['duis', variant, '--example', '--sign'], [duisCommand], io)).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const xml = io.stdout[0]!;
    expect(xml.startsWith('<?xml')).toBe(true);
    expect(xml).toContain(`<sr:ServiceReferenceVariant>${variant}</sr:ServiceReferenceVariant>`);
    expect(verifyDuisXml(xml, { certificates: [testUserCredentials().certificate] }).signedXml).toContain(TEST_USER_ID);
    expect(io.stderr.join('\n')).toMatch(/TEST credentials/);
  });

  it('builds from --params and leaves the request unsigned without --sign', async () => {
    const io = captureIo();
    const params = JSON.stringify({ deviceId: '00DB123456780001' });
    expect(await runCli(['duis', '4.1.1', '--params', params], [duisCommand], io)).toBe(0);
    expect(io.stdout[0]).toContain(':00-DB-12-34-56-78-00-01:');
    expect(io.stdout[0]).not.toContain('Signature');
    expect(io.stderr.join('\n')).toMatch(/TEST credentials.*unsigned/);
  });

  it.each([
    [['duis'], /give a service request/],
    [['duis', '9.9'], /give a service request/],
    [['duis', '4.1.1'], /--params/],
    [['duis', '4.1.1', '--params', '{bad'], /invalid JSON/],
    [['duis', '4.1.1', '--params', '{"deviceId":"xyz"}'], /deviceId/],
    [['duis', '8.9', '--example', '--frobnicate'], /unknown option/],
  ])('refuses %j with exit 2, one line on stderr and nothing on stdout', async (argv, message) => {
    const io = captureIo();
    expect(await runCli(argv, [duisCommand], io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(message);
  });
});
