import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDccSimulator } from '../dcc/emulator/dcc-simulator';
import { createPremisesModel } from '../premises/premises-model';
import { captureIo } from './capture-io.test-support';
import { dccCommand } from './dcc-command';
import { runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'han-dcc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = createPremisesModel(1);
const eui = (type: string): string => model.devices.find((d) => d.type === type)!.eui64;

async function send(...args: string[]): Promise<{ code: number; json?: Record<string, unknown>; stdout: string[]; stderr: string[] }> {
  const io = captureIo();
  const code = await runCli(['dcc', 'send', ...args], [dccCommand], io);
  return { code, stdout: io.stdout, stderr: io.stderr, ...(io.stdout[0] ? { json: JSON.parse(io.stdout[0]) as Record<string, unknown> } : {}) };
}

describe('hantool dcc send', () => {
  it('sends an ordinary request (4.1.1) to a training simulator started for the call and prints the reading', async () => {
    const { code, json, stdout } = await send('4.1.1', '--example');
    expect(code).toBe(0);
    expect(stdout).toHaveLength(1);
    expect(Object.keys(json!)).toEqual(['requestId', 'serviceReference', 'responseCode', 'gbcs', 'reading']);
    expect(json).toMatchObject({ requestId: expect.stringMatching(/^90-B3-D5-1F-30-01-00-00:/), serviceReference: '4.1.1', responseCode: 'I0' });
    expect(json!.reading).toEqual({ value: expect.any(Number), unit: 'Wh' });
  });

  it('sends a critical request (8.1.1) through serviceT and pre-command signing; the device’s signed response verifies', async () => {
    const { code, json } = await send('8.1.1', '--params', JSON.stringify({ deviceId: eui('ESME') }));
    expect(code).toBe(0);
    expect(json).toEqual({
      requestId: expect.stringContaining(`:${eui('ESME').match(/../g)!.join('-')}:`),
      serviceReference: '8.1.1',
      responseCode: 'I0',
      gbcs: { useCase: 'ECS70', mac: 'absent', signature: 'valid', encrypted: false },
      reading: null,
    });
  });

  it('exits 1 with the reason on stderr when the DCC refuses the request', async () => {
    const { code, json, stderr } = await send('8.7.1', '--params', JSON.stringify({ deviceId: eui('ESME'), otherDeviceId: eui('IHD') }));
    expect(code).toBe(1);
    expect(json).toMatchObject({ serviceReference: '8.7.1', responseCode: 'E11', gbcs: null, reading: null });
    expect(stderr.at(-1)).toMatch(/^dcc send: rejected: E11: The service request is not valid for this device type/);
  });

  it('talks to a DCC given by --url and --ca (a non-device 12.1 answered synchronously)', async () => {
    const simulator = await startDccSimulator({ model });
    try {
      const ca = join(dir, 'ca.pem');
      writeFileSync(ca, simulator.tls.caCert);
      const { code, json } = await send('12.1', '--example', '--url', simulator.baseUrl, '--ca', ca);
      expect(code).toBe(0);
      expect(json).toMatchObject({ serviceReference: '12.1', responseCode: 'I0', gbcs: null, reading: null });
      expect(simulator.received()).toEqual([expect.objectContaining({ variant: '12.1', endpoint: 'serviceD', code: 'I0' })]);
    } finally {
      await simulator.stop();
    }
  });

  it('checks device certificates from the SMKI given by --smki against --smki-device-ca; without it the answer is not trusted', async () => {
    const simulator = await startDccSimulator({ model });
    try {
      const ca = join(dir, 'tls-ca.pem');
      writeFileSync(ca, simulator.tls.caCert);
      const deviceCa = join(dir, 'device-ca.pem');
      writeFileSync(deviceCa, simulator.devicePki.caCertificate);
      // As with a DCC Boxed, the simulator is told the receive-response URL the command prints.
      const sendTo = async (...extra: string[]) => {
        const io = captureIo();
        const err = io.err.bind(io);
        io.err = (line: string) => {
          err(line);
          const url = /received at (http\S+)/.exec(line)?.[1];
          if (url) simulator.setReceiveResponseUrl(url);
        };
        const code = await runCli(
          ['dcc', 'send', '4.1.1', '--example', '--url', simulator.baseUrl, '--ca', ca, '--smki', simulator.smkiUrl, ...extra],
          [dccCommand],
          io,
        );
        return { code, json: JSON.parse(io.stdout[0]!) as Record<string, unknown>, stderr: io.stderr };
      };
      const checked = await sendTo('--smki-device-ca', deviceCa);
      expect(checked.code).toBe(0);
      expect(checked.json).toMatchObject({
        responseCode: 'I0',
        gbcs: { useCase: 'ECS17b', mac: 'valid', encrypted: true },
        reading: { value: expect.any(Number), unit: 'Wh' },
      });

      const unchecked = await sendTo();
      expect(unchecked.code).toBe(0);
      expect(unchecked.json).toMatchObject({ responseCode: 'I0', gbcs: { mac: 'unknown' }, reading: null });
      expect(unchecked.stderr.join('\n')).toMatch(/not trusted: .*no SMKI Device CA certificate is set/);
      expect(unchecked.stderr.at(-1)).toMatch(/give --smki-device-ca/);
    } finally {
      await simulator.stop();
    }
  });

  it.each([
    [['9.9.9', '--example'], /give a service request/],
    [['8.1.1', '--example', '--smki-device-ca', '/x.pem'], /--smki and --smki-device-ca go with --url/],
    [['8.1.1', '--example', '--url', 'https://127.0.0.1:1/api/v1', '--smki-device-ca', '/nonexistent.pem'], /cannot read the SMKI Device CA file/],
    [['8.1.1'], /give --params/],
    [['8.1.1', '--params', '{nope'], /invalid JSON/],
    [['8.1.1', '--params', '{"deviceId":"xyz"}'], /invalid parameters for 8.1.1: deviceId: must be an EUI-64/],
    [['8.1.1', '--example', '--ca', '/nonexistent.pem'], /--ca goes with --url/],
    [['8.1.1', '--example', '--url', 'https://127.0.0.1:1/api/v1', '--ca', '/nonexistent.pem'], /cannot read the CA file/],
    [['8.1.1', '--example', '--url'], /--url needs a value/],
  ])('exits 2 on bad input %j, nothing on stdout', async (args, reason) => {
    const { code, stdout, stderr } = await send(...args);
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr.join('\n')).toMatch(reason);
  });
});
