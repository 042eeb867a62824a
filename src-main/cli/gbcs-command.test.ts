import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GBCS_DATA_DIR, RTDS_KEYSTORE, rtdsMessage } from '../dcc/gbcs/rtds-corpus';
import { captureIo } from './capture-io.test-support';
import { gbcsCommand } from './gbcs-command';
import { runCli } from './run-cli';

const ECS17B = rtdsMessage('ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX');
const dir = mkdtempSync(join(tmpdir(), 'han-gbcs-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function decode(...args: string[]): Promise<{ code: number; json?: Record<string, unknown>; stderr: string[] }> {
  const io = captureIo();
  const code = await runCli(['gbcs', 'decode', ...args], [gbcsCommand], io);
  return { code, ...(io.stdout[0] ? { json: JSON.parse(io.stdout[0]) as Record<string, unknown> } : {}), stderr: io.stderr };
}

describe('hantool gbcs decode', () => {
  it('decodes, verifies and decrypts an RTDS response with the RTDS keystore', async () => {
    const { code, json } = await decode(ECS17B.toString('hex'), '--keys', RTDS_KEYSTORE);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      cra: 'response',
      counter: '1000',
      originator: '00-DB-12-34-56-78-90-A0',
      recipient: '90-B3-D5-1F-30-01-00-00',
      messageCode: '0x0027',
      useCase: 'ECS17b',
      serviceReference: '4.1.1',
      mac: 'valid',
      signature: 'absent',
      encrypted: true,
      plaintext: '02010204060000000A02020F00161E060000000A02020F001620',
      reading: { value: 10, unit: 'Wh' },
    });
    expect(json!.content).toMatchObject({ family: 'dlms' });
  });

  it('reads base64 and @file (whitespace ignored), and says "unknown" without the device certificate', async () => {
    const file = join(dir, 'message.txt');
    writeFileSync(file, ECS17B.toString('hex').replace(/(.{32})/g, '$1\n'));
    expect((await decode(`@${file}`)).json).toMatchObject({ mac: 'unknown', trusted: false, content: null, plaintext: null, reading: null });
    expect((await decode(ECS17B.toString('base64'), '--keys', RTDS_KEYSTORE)).json).toMatchObject({ mac: 'valid', reading: { value: 10, unit: 'Wh' } });
  });

  it('exits 0 with "invalid" and no content for a tampered message', async () => {
    const tampered = Buffer.from(ECS17B);
    tampered[tampered.length - 1]! ^= 1;
    const { code, json } = await decode(tampered.toString('hex'), '--keys', RTDS_KEYSTORE);
    expect(code).toBe(0);
    expect(json).toMatchObject({ mac: 'invalid', content: null, plaintext: null, reading: null });
  });

  it('verifies the GBCS 18.4 vector: MAC by its ACB, signature by Supplier A', async () => {
    const { json } = await decode(
      `@${join(GBCS_DATA_DIR, 'spec/gbcs_18.4_ecs04b_critical_command.hex')}`,
      '--keys',
      join(GBCS_DATA_DIR, 'spec'),
      '--keys',
      RTDS_KEYSTORE,
    );
    expect(json).toMatchObject({ cra: 'command', useCase: 'ECS04b', mac: 'valid', signature: 'valid', trusted: true });
  });

  it('exits 2 with a one-line reason when the input is not GBCS', async () => {
    const notGbcs = await decode('3c3f786d6c');
    expect(notGbcs.code).toBe(2);
    expect(notGbcs.stderr.join('\n')).toMatch(/not a GBCS message: tag 0x3c .* at byte offset 0/);
    expect((await decode('not*base64')).code).toBe(2);
    expect((await decode(ECS17B.toString('hex'), '--keys', join(dir, 'missing'))).code).toBe(2);
  });
});
