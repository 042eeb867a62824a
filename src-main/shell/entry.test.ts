import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, type FakeIpcMain, type FakeSession } from './electron-stand-in';

/** The real Electron entry (src-main/index.ts), run against the stand-in 'electron' module. */
const electron = vi.hoisted(() => {
  const listeners = new Map<string, (event?: { preventDefault(): void }) => void>();
  const state = { exited: undefined as number | undefined, quitPrevented: false };
  const app = {
    isPackaged: true,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    on: (event: string, listener: (event?: { preventDefault(): void }) => void) => listeners.set(event, listener),
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
  return {
    app: electron.app,
    BrowserWindow: standIn.FakeBrowserWindow,
    ipcMain,
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
    const mocked = (await import('electron')) as unknown as { ipcMain: FakeIpcMain; session: { defaultSession: FakeSession } };
    await import('../index');
    await vi.waitFor(() => expect(FakeBrowserWindow.created[0]?.loaded).toBeDefined(), { timeout: 20_000 });
    const window = FakeBrowserWindow.created[0]!;
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(window.webContents.navigate('will-navigate', 'https://example.com/')).toBe(true);
    expect(mocked.session.defaultSession.permissionRequestHandler).toBeDefined();

    const appPage = pathToFileURL(window.loaded!.replace(/^file:/, '')).href;
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
