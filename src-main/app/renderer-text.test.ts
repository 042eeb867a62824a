import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventChannel } from '../../src-shared/ipc/contract';
import { testConnectionInput } from '../dcc/connection-input.test-support';
import { prepareDccConnection, writeDccConnection } from '../dcc/dcc-config';
import { startDccService, toRequestView } from '../dcc/dcc-service';
import { FileSecretStore } from '../secrets/file-secret-store';
import { silentLogger } from '../util/logger';
import { startOrReport } from './degraded-start';
import { EventBus } from './event-bus';

/** An error as Node gives it: an absolute path in the message and a stack below it. */
function pathError(): Error {
  const error = new Error("EACCES: permission denied, open '/home/engineer/.config/han-commissioner/dcc/dcc-gateway.json'");
  error.stack = `${error.message}\n    at openSync (node:fs:573:18)\n    at commit (/opt/han/resources/app.asar/out/main/index.js:1234:5)`;
  return error;
}

/** What no text reaching the renderer may contain. */
function expectFit(text: string | undefined): void {
  expect(text).toBeDefined();
  expect(text).not.toMatch(/\/home\/|\/opt\/|\/tmp\/|app\.asar|\n|\sat\s\S+ \(/);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('free text on its way to the renderer', () => {
  it('app:notice, the adapter message, a device timeline reason and a DCC request error lose paths and stacks on the bus', () => {
    const bus = new EventBus();
    const seen: { channel: EventChannel; payload: unknown }[] = [];
    bus.subscribe((channel, payload) => seen.push({ channel, payload }));
    const raw = String(pathError().stack);
    bus.emit('app:notice', { level: 'error', message: `The DCC connection failed: ${raw}` });
    bus.emit('han:event', { type: 'adapter', state: 'lost', message: raw });
    bus.emit('han:event', { type: 'device', eui64: '00-0D-6F-00-00-00-00-01', entry: { atMs: 1, state: 'failed', reason: raw } });
    bus.emit('dcc:request', { requestId: 'R1', serviceRequest: '4.1.1', name: 'Read', state: 'queued', createdAt: 'now', attempts: 1, lastError: raw });
    const texts = [
      (seen[0]!.payload as { message: string }).message,
      (seen[1]!.payload as { message: string }).message,
      (seen[2]!.payload as { entry: { reason: string } }).entry.reason,
      (seen[3]!.payload as { lastError: string }).lastError,
    ];
    for (const text of texts) {
      expectFit(text);
      expect(text).toContain('…/dcc-gateway.json'); // which file is still said
    }
    expect(texts[0]).toMatch(/^The DCC connection failed: EACCES/);
  });

  it('a DCC request row read by request carries no path either', () => {
    const view = toRequestView({ lastError: String(pathError().stack) } as Parameters<typeof toRequestView>[0]);
    expectFit(view.lastError);
  });

  it('a service that cannot start is reported without the path', async () => {
    const problems: { service: 'dcc'; message: string }[] = [];
    await startOrReport('dcc', problems, silentLogger, async () => {
      throw pathError();
    });
    expectFit(problems[0]!.message);
  });

  it('DccStatus.problem and its notice: a saved connection whose gateway folder is unusable names no absolute path', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'han-renderer-text-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const secrets = await FileSecretStore.open(dataDir);
    const stored = await prepareDccConnection(secrets, testConnectionInput({ listenerPort: 0 }));
    writeDccConnection(join(dataDir, 'dcc'), stored);
    // The gateway's folder is a file: Node's error names the absolute path of the file it could not open.
    mkdirSync(join(dataDir, 'dcc'), { recursive: true });
    writeFileSync(join(dataDir, 'dcc', 'direct'), 'not a folder');
    const notices: string[] = [];
    const service = await startDccService({ dataDir, premises: undefined, secrets, log: silentLogger, onNotice: (_level, text) => notices.push(text) });
    cleanups.push(() => service.close());
    const { problem } = await service.status();
    expect(problem).toMatch(/could not start: ENOTDIR.*…\/dcc-gateway\.json/);
    expectFit(problem);
    expect(problem).not.toContain(dataDir);
    expect(notices).toHaveLength(1);
    expectFit(notices[0]);
  });
});
