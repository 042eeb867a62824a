import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebPreferences } from 'electron';

/**
 * The renderer's web preferences, identical in tests and release (Electron security checklist 2–4, 6, 9–10):
 * no Node, isolated context, OS sandbox, web security on, no experimental or Blink features, no webviews.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
  };
}

export interface SecureWindowDeps {
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
}

/** True only for the app's own page: the built renderer file or, in development, the dev server's origin. */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    if (app.protocol === 'file:') return target.protocol === 'file:' && target.pathname === app.pathname;
    return target.origin === app.origin;
  } catch {
    return false;
  }
}

/** Denies every permission request (camera, notifications, serial, HID …): device access stays in main. */
export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Creates the main window with the secure options, navigation locked to the app's own page, window.open denied
 * and webviews refused (checklist 12–14).
 */
export function createSecureWindow(deps: SecureWindowDeps, preloadPath: string, appUrl: string): BrowserWindow {
  const window = new deps.BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'HAN Commissioner',
    webPreferences: secureWebPreferences(preloadPath),
  });
  const contents = window.webContents;
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  return window;
}
