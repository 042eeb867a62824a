import { describe, expect, it, vi } from 'vitest';
import { requestChannels } from '../../src-shared/ipc/contract';
import { ok } from '../../src-shared/ipc/result';
import { silentLogger } from '../util/logger';
import { APP_URL } from './app-protocol';
import { FakeApp, FakeBrowserWindow, FakeIpcMain, FakeSession, FakeWebContents } from './electron-stand-in';
import { isTrustedSender, registerIpcHandlers } from './ipc-register';
import { createSecureWindow, isAppUrl, lockDownSession } from './secure-window';
import { installWebContentsGuard } from './web-contents-guard';
import type { App, BrowserWindow, Session } from 'electron';

// One app-wide guard, as the entry installs it before any window exists.
installWebContentsGuard(new FakeApp() as unknown as App, (url) => isAppUrl(url, APP_URL));

function makeWindow(): FakeBrowserWindow {
  createSecureWindow({ BrowserWindow: FakeBrowserWindow as unknown as new () => BrowserWindow }, '/opt/han/preload/index.cjs');
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
    expect(contents.navigate('will-frame-navigate', 'https://evil.example/frame')).toBe(true);
    expect(contents.navigate('will-navigate', APP_URL + '#settings')).toBe(false);
    expect(contents.navigate('will-frame-navigate', 'app://renderer/index.html')).toBe(false);
  });

  it('locks every web contents, not only the main window: a second window, a child window, devtools', () => {
    const others = [makeWindow().webContents, new FakeWebContents(), new FakeWebContents()];
    for (const contents of others) {
      expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
      expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
      expect(contents.navigate('will-redirect', 'file:///etc/passwd')).toBe(true);
      expect(contents.attachWebview()).toBe(true);
    }
  });

  it('refuses webviews and every permission request', () => {
    expect(makeWindow().webContents.attachWebview()).toBe(true);
    const session = new FakeSession();
    lockDownSession(session as unknown as Session);
    const granted = vi.fn();
    session.permissionRequestHandler!({}, 'serial', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(session.permissionCheckHandler!()).toBe(false);
  });

  it('treats only the app scheme (or the dev server origin) as the app, never a file: URL', () => {
    expect(isAppUrl(APP_URL, APP_URL)).toBe(true);
    expect(isAppUrl('app://renderer/assets/x.js', APP_URL)).toBe(true);
    expect(isAppUrl('app://other/index.html', APP_URL)).toBe(false);
    expect(isAppUrl('file:///tmp/other.html', APP_URL)).toBe(false);
    expect(isAppUrl('file:///opt/han/out/renderer/index.html', 'file:///opt/han/out/renderer/index.html')).toBe(false);
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
