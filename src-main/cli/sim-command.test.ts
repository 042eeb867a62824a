import { X509Certificate } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';
import { createSimCommand } from './sim-command';
import { fetchDeviceCertificates } from '../dcc/smki-client';
import { checkDeviceCertificate, parseDeviceCaBundle } from '../dcc/device-certificate-check';
import type { EmulatorFactory } from '../premises/emulator';
import { createServer } from 'node:net';

const echoEmulator: EmulatorFactory = {
  name: 'mbus',
  label: 'test bus',
  async start() {
    const server = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { port: (server.address() as { port: number }).port, stop: () => new Promise<void>((r) => server.close(() => r())) };
  },
};

describe('hantool sim', () => {
  it('prints the ports and labels, then stops when told', async () => {
    const out: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const command = createSimCommand([echoEmulator], () => ({ stopped, cancel: () => undefined }));
    const run = runCli(['sim', '--seed', '5'], [command], { out: (t) => out.push(t), err: () => undefined, json: (v) => out.push(JSON.stringify(v)) });
    await expect.poll(() => out.length).toBe(1);
    const first = JSON.parse(out[0]!);
    expect(first.ports.mbus).toBeGreaterThan(0);
    expect(first.devices.map((d: { type: string }) => d.type)).toContain('ESME');
    expect(first.devices[0].eui64).toMatch(/^[0-9A-F]{16}$/);
    stop();
    expect(await run).toBe(0);
  });

  it('rejects a bad seed with exit 2', async () => {
    const err: string[] = [];
    const code = await runCli(['sim', '--seed', 'x'], [createSimCommand([])], { out: () => undefined, err: (t) => err.push(t), json: () => undefined });
    expect(code).toBe(2);
    expect(err[0]).toMatch(/--seed/);
  });

  it('as a process: first stdout line is JSON, logs on stderr, exits on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/main.ts', 'sim'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // No clock here (tests assert no timings): the line comes, or the process ends without one and says why.
    const stderr: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`hantool sim exited (${code}) before its line: ${Buffer.concat(stderr).toString('utf8').slice(-500)}`)));
    });
    const announced = JSON.parse(line);
    expect(announced).toHaveProperty('ports');
    expect(announced.devices.map((d: { type: string }) => d.type)).toEqual(['CHF', 'ESME', 'GSME', 'IHD', 'PPMID', 'GPF']);
    // What another process needs to use the DCC simulator as a DCC Boxed, and the emulators' counts.
    expect(announced.dcc).toMatchObject({ baseUrl: `https://127.0.0.1:${announced.ports.dcc}/api/v1`, userId: '90-B3-D5-1F-30-01-00-00' });
    expect(announced.dcc.caCertPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    // Its SMKI service (device certificates for GBCS responses) answers at the announced URL under the same CA.
    expect(announced.dcc.smkiUrl).toBe(`https://127.0.0.1:${announced.ports.dcc}/`);
    const esme = announced.devices.find((d: { type: string }) => d.type === 'ESME').eui64;
    const certificates = await fetchDeviceCertificates({ baseUrl: announced.dcc.smkiUrl, ca: announced.dcc.caCertPem }, esme);
    // Both pass the check against the SMKI Device CA the line announces.
    const anchors = parseDeviceCaBundle(announced.dcc.smkiDeviceCaPem);
    expect(checkDeviceCertificate(new X509Certificate(certificates.ka!), { eui: esme, usage: 'ka' }, anchors)).toEqual({ ok: true });
    expect(checkDeviceCertificate(new X509Certificate(certificates.ds!), { eui: esme, usage: 'ds' }, anchors)).toEqual({ ok: true });
    const status = await (await fetch(announced.status)).json();
    expect(status).toMatchObject({ dcc: { requests: [], counts: {}, deviceLog: [] }, zigbee: { permitJoin: 0, joined: {} } });
    expect((await fetch(announced.status, { method: 'POST' })).status).toBe(405);
    expect((await fetch(announced.status.replace('/status', '/other'))).status).toBe(404);
    // Logs go to stderr, so stdout stays the one line scripts read.
    expect(Buffer.concat(stderr).toString('utf8')).toMatch(/ info  sim emulator started \{"emulator":"dcc"/);
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 30_000);
});
