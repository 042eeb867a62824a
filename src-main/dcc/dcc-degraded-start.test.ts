import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../secrets/file-secret-store';
import { silentLogger } from '../util/logger';
import { testConnectionInput } from './connection-input.test-support';
import { prepareDccConnection, writeDccConnection } from './dcc-config';
import { DccConfigError, startDccService, type DccService } from './dcc-service';
import { exposedListenerWarning } from './listener-check';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function takenPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

const connectionInput = testConnectionInput;

async function start(dataDir: string): Promise<{ service: DccService; secrets: FileSecretStore }> {
  const secrets = await FileSecretStore.open(dataDir);
  const service = await startDccService({ dataDir, premises: undefined, secrets, log: silentLogger });
  cleanups.push(() => service.close());
  return { service, secrets };
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'han-dcc-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('a DCC connection whose listener cannot bind', () => {
  it('is refused when saved, with the reason, and nothing is written', async () => {
    const dir = dataDir();
    const { service } = await start(dir);
    const port = await takenPort();
    await expect(service.configure(connectionInput({ listenerPort: port }))).rejects.toThrow(DccConfigError);
    await expect(service.configure(connectionInput({ listenerPort: port }))).rejects.toThrow(/already in use/);
    await expect(service.configure(connectionInput({ listenerHost: 'no-such-host.invalid' }))).rejects.toThrow(/does not resolve/);
    expect(existsSync(join(dir, 'dcc', 'connection.json'))).toBe(false);
    expect((await service.status()).mode).toBe('none');
  });

  it('saved before this check (port taken since): the service still starts and its screen says why', async () => {
    const dir = dataDir();
    const secrets = await FileSecretStore.open(dir);
    const port = await takenPort();
    writeDccConnection(join(dir, 'dcc'), await prepareDccConnection(secrets, connectionInput({ listenerPort: port })));
    const { service } = await start(dir);
    const status = await service.status();
    expect(status.mode).toBe('none');
    expect(status.problem).toMatch(/could not start: the receive-response listener cannot listen on 127\.0\.0\.1:\d+: that port is already in use/);
    expect(status.problem).toMatch(/forget it/);
    // Forgetting it from the screen clears the problem.
    expect((await service.forget()).problem).toBeUndefined();
  });

  it('a saved connection file that is not JSON or is incomplete is reported, not fatal', async () => {
    const dir = dataDir();
    mkdirSync(join(dir, 'dcc'), { recursive: true });
    writeFileSync(join(dir, 'dcc', 'connection.json'), '{"baseUrl": "https://x", "userId');
    expect((await (await start(dir)).service.status()).problem).toMatch(/not valid JSON/);
    writeFileSync(join(dir, 'dcc', 'connection.json'), '{"baseUrl": "https://x"}');
    expect((await (await start(dir)).service.status()).problem).toMatch(/incomplete \(userId/);
  });

  it('a listener bound beyond loopback is allowed but warned about', async () => {
    expect(exposedListenerWarning('127.0.0.1')).toBeUndefined();
    expect(exposedListenerWarning('localhost')).toBeUndefined();
    expect(exposedListenerWarning('0.0.0.0')).toMatch(/other machines/);
    const dir = dataDir();
    const { service } = await start(dir);
    const status = await service.configure(connectionInput({ listenerHost: '0.0.0.0' }));
    expect(status.listenerWarning).toMatch(/accepts connections from other machines on 0\.0\.0\.0/);
  });
});
