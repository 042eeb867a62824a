import { describe, expect, it, vi } from 'vitest';
import { requestChannels } from '../../src-shared/ipc/contract';
import { ok } from '../../src-shared/ipc/result';
import { silentLogger } from '../util/logger';
import { FakeBrowserWindow, FakeIpcMain, FakeSession } from './electron-stand-in';
import { isTrustedSender, registerIpcHandlers } from './ipc-register';
import { createSecureWindow, isAppUrl, lockDownSession } from './secure-window';
import type { BrowserWindow, Session } from 'electron';

const APP_URL = 'file:///opt/han/resources/app.asar/out/renderer/index.html';

function makeWindow(): FakeBrowserWindow {
  createSecureWindow({ BrowserWindow: FakeBrowserWindow as unknown as new () => BrowserWindow }, '/opt/han/preload/index.cjs', APP_URL);
  return FakeBrowserWindow.created.at(-1)!;
}

describe('secure window', () => {
  it('is created with isolation, sandbox and no Node integration', () => {
    const prefs = makeWindow().options.webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
    });
    expect(prefs.preload).toBe('/opt/han/preload/index.cjs');
  });

  it('denies window.open', () => {
    expect(makeWindow().webContents.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('refuses navigation and redirects away from the app page', () => {
    const contents = makeWindow().webContents;
    expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.navigate('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(contents.navigate('will-navigate', APP_URL + '#settings')).toBe(false);
  });

  it('refuses webviews and every permission request', () => {
    const contents = makeWindow().webContents;
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    const session = new FakeSession();
    lockDownSession(session as unknown as Session);
    const granted = vi.fn();
    session.permissionRequestHandler!({}, 'serial', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(session.permissionCheckHandler!()).toBe(false);
  });

  it('treats only the app page (or the dev server origin) as the app', () => {
    expect(isAppUrl(APP_URL, APP_URL)).toBe(true);
    expect(isAppUrl('file:///tmp/other.html', APP_URL)).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url', APP_URL)).toBe(false);
  });
});

describe('IPC handlers', () => {
  const trusted = (url: string): boolean => isAppUrl(url, APP_URL);
  const topFrame = { senderFrame: { url: APP_URL, parent: null } };

  it('registers one handler per contract channel', () => {
    const ipc = new FakeIpcMain();
    registerIpcHandlers(ipc, async () => ok(null), trusted, silentLogger);
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.keys(requestChannels).sort());
  });

  it('rejects every channel from an untrusted sender without dispatching', async () => {
    const ipc = new FakeIpcMain();
    const dispatch = vi.fn(async () => ok('should not run'));
    registerIpcHandlers(ipc, dispatch, trusted, silentLogger);
    const senders = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: APP_URL, parent: { url: APP_URL } } }, // a subframe
      { senderFrame: null },
    ];
    for (const [channel, handler] of ipc.handlers) {
      for (const sender of senders) {
        expect(await handler(sender, undefined), channel).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
      }
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('dispatches a trusted request with its channel and argument', async () => {
    const ipc = new FakeIpcMain();
    const dispatch = vi.fn(async () => ok([]));
    registerIpcHandlers(ipc, dispatch, trusted, silentLogger);
    expect(await ipc.handlers.get('jobs:get')!(topFrame, { id: 'J1' })).toEqual({ ok: true, value: [] });
    expect(dispatch).toHaveBeenCalledWith('jobs:get', { id: 'J1' });
  });

  it('unregisters its handlers', () => {
    const ipc = new FakeIpcMain();
    registerIpcHandlers(ipc, async () => ok(null), trusted, silentLogger)();
    expect(ipc.handlers.size).toBe(0);
    expect(isTrustedSender({ senderFrame: undefined as never }, trusted)).toBe(false);
  });
});
