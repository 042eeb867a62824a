import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, FakeWebContents, type FakeIpcMain, type FakeProtocol, type FakeSession } from './electron-stand-in';

/** The real Electron entry (src-main/index.ts), run against the stand-in 'electron' module. */
const electron = vi.hoisted(() => {
  const listeners = new Map<string, (event?: { preventDefault(): void }, ...args: unknown[]) => void>();
  const state = { exited: undefined as number | undefined, quitPrevented: false, guardedBeforeReady: false };
  const app = {
    isPackaged: true,
    requestSingleInstanceLock: () => true,
    // What must happen before 'ready' is recorded as the app becomes ready.
    whenReady: () => {
      state.guardedBeforeReady = listeners.has('web-contents-created');
      return Promise.resolve();
    },
    on: (event: string, listener: (event?: { preventDefault(): void }, ...args: unknown[]) => void) => listeners.set(event, listener),
    // Like Electron: quit() emits before-quit, and quits unless a listener prevents it.
    quit: () => listeners.get('before-quit')?.({ preventDefault: () => (state.quitPrevented = true) }),
    exit: (code: number) => (state.exited = code),
  };
  return {
    listeners,
    state,
    app,
    exposed: new Map<string, unknown>(),
    invoked: [] as unknown[][],
  };
});

vi.mock('electron', async () => {
  const standIn = await import('./electron-stand-in');
  const ipcMain = new standIn.FakeIpcMain();
  const session = new standIn.FakeSession();
  const protocol = new standIn.FakeProtocol();
  // Like Electron, every web contents created reaches the app's 'web-contents-created' listener.
  standIn.webContentsCreation.on('created', (contents) => electron.listeners.get('web-contents-created')?.(undefined, contents));
  return {
    app: electron.app,
    BrowserWindow: standIn.FakeBrowserWindow,
    ipcMain,
    protocol,
    session: { defaultSession: session },
    safeStorage: { isEncryptionAvailable: () => false },
    dialog: { showSaveDialog: async () => ({ canceled: true, filePath: '' }) },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        electron.invoked.push(args);
        return { ok: true, value: 'from main' };
      },
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
});

const dataDir = mkdtempSync(join(tmpdir(), 'han-entry-'));
process.env.HAN_DATA_DIR = dataDir;
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('Electron entry with a stand-in electron', () => {
  it('creates one secure window, registers guarded handlers, and serves requests from the app page only', async () => {
    const mocked = (await import('electron')) as unknown as {
      ipcMain: FakeIpcMain;
      protocol: FakeProtocol;
      session: { defaultSession: FakeSession };
    };
    await import('../index');
    await vi.waitFor(() => expect(FakeBrowserWindow.created[0]?.loaded).toBeDefined(), { timeout: 20_000 });
    const window = FakeBrowserWindow.created[0]!;
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(mocked.session.defaultSession.permissionRequestHandler).toBeDefined();

    // The page comes from the privileged app scheme, not file://, and its handler is registered.
    expect(window.loaded).toBe('app://renderer/index.html');
    expect(mocked.protocol.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect([...mocked.protocol.handlers.keys()]).toEqual(['app']);
    const refused = await mocked.protocol.handlers.get('app')!(new Request('app://renderer/../../package.json'));
    expect(refused.status).toBe(404);

    // The guard is app-wide and in place before ready: the main window and any later web contents are locked.
    expect(electron.state.guardedBeforeReady).toBe(true);
    for (const contents of [window.webContents, new FakeWebContents()]) {
      expect(contents.navigate('will-navigate', 'https://example.com/')).toBe(true);
      expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
      expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
      expect(contents.attachWebview()).toBe(true);
    }

    const appPage = window.loaded!;
    const info = mocked.ipcMain.handlers.get('app:info')!;
    expect(await info({ senderFrame: { url: appPage, parent: null } }, undefined)).toMatchObject({
      ok: true,
      value: { productName: 'HAN Commissioner', dataDir },
    });
    expect(await info({ senderFrame: { url: 'https://evil.example/', parent: null } }, undefined)).toMatchObject({
      ok: false,
      error: { code: 'UNTRUSTED_SENDER' },
    });
    const bad = await mocked.ipcMain.handlers.get('jobs:get')!({ senderFrame: { url: appPage, parent: null } }, { id: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });

    // Closing the last window quits; quitting (also Cmd+Q) stops the services, releases the data folder, then exits.
    electron.listeners.get('window-all-closed')!();
    expect(electron.state.quitPrevented).toBe(true);
    await vi.waitFor(() => expect(electron.state.exited).toBe(0), { timeout: 10_000 });
    expect(existsSync(join(dataDir, 'store.lock'))).toBe(false);
  }, 30_000);

  it('the preload exposes only the typed bridge and refuses channels outside the contract', async () => {
    await import('../preload/index');
    const han = electron.exposed.get('han') as { invoke(channel: string, args: unknown): Promise<unknown>; onEvent: unknown };
    expect(Object.keys(han).sort()).toEqual(['invoke', 'onEvent']);
    expect(await han.invoke('fs:readFile', '/etc/passwd')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(electron.invoked).toEqual([]);
    expect(await han.invoke('jobs:list', undefined)).toEqual({ ok: true, value: 'from main' });
    expect(electron.invoked).toEqual([['jobs:list', undefined]]);
  });

  it('the built preload bundle requires nothing but electron', () => {
    const bundle = 'out/preload/index.cjs';
    expect(existsSync(bundle), 'run "npm run build" first (npm test does)').toBe(true);
    const required = [...readFileSync(bundle, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});
