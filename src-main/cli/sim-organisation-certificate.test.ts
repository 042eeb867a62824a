import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DccSimulator } from '../dcc/emulator/dcc-simulator';
import { dccEmulatorFactory } from '../dcc/emulator/dcc-emulator';
import { labOrganisation } from '../dcc/emulator/organisation-certificates.test-support';
import { createTestTls } from '../dcc/emulator/test-ca';
import type { EmulatorFactory } from '../premises/emulator';
import { runCli } from './run-cli';
import { createSimCommand } from './sim-command';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const file = (name: string, text: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-org-'));
  dirs.push(dir);
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const quiet = (err: string[] = []) => ({ out: () => undefined, err: (t: string) => err.push(t), json: () => undefined });

describe('hantool sim --organisation-certificate', () => {
  it('registers each certificate with the DCC simulator before announcing, so its pre-commands verify with that key', async () => {
    const lab = labOrganisation('90B3D51F30010000');
    const other = labOrganisation('00DB1234567800AA');
    let simulator: DccSimulator | undefined;
    // The real DCC emulator, watched so the test can ask its simulator what it trusts.
    const watched: EmulatorFactory = {
      ...dccEmulatorFactory,
      async start(context) {
        const started = await dccEmulatorFactory.start(context);
        simulator = started.details?.simulator as DccSimulator;
        return started;
      },
    };
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const announced: unknown[] = [];
    const command = createSimCommand([watched], () => ({ stopped, cancel: () => undefined }));
    const args = [
      'sim',
      '--organisation-certificate',
      file('lab.pem', lab.certificatePem),
      '--organisation-certificate',
      file('other.pem', other.certificatePem),
    ];
    const run = runCli(args, [command], { out: () => undefined, err: () => undefined, json: (v) => announced.push(v) });
    await expect.poll(() => announced.length, { timeout: 10_000 }).toBe(1);
    expect(simulator!.organisationSigningKeys('90-B3-D5-1F-30-01-00-00')).toHaveLength(1);
    expect(simulator!.organisationSigningKeys('90-B3-D5-1F-30-01-00-00')[0]!.export({ format: 'jwk' })).toMatchObject({
      x: lab.privateKey.export({ format: 'jwk' }).x,
    });
    expect(simulator!.organisationSigningKeys('00DB1234567800AA')[0]!.export({ format: 'jwk' })).toMatchObject({
      x: other.privateKey.export({ format: 'jwk' }).x,
    });
    stop();
    expect(await run).toBe(0);
  });

  it('refuses, with exit 2 and the reason, a missing file, an unreadable one and a certificate that names no organisation', async () => {
    for (const [args, reason] of [
      [['--organisation-certificate'], /takes a PEM file/],
      [['--organisation-certificate', join(tmpdir(), 'no-such-dir-han', 'x.pem')], /cannot be read/],
      [['--organisation-certificate', file('tls.pem', createTestTls().caCert)], /names no organisation/],
    ] as const) {
      const err: string[] = [];
      expect(await runCli(['sim', ...args], [createSimCommand([])], quiet(err))).toBe(2);
      expect(err.join('\n')).toMatch(reason);
    }
  });
});
