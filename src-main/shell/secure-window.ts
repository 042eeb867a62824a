import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebPreferences } from 'electron';
import { APP_SCHEME } from './app-protocol';

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

/**
 * True only for the app's own pages: app://renderer/… or, in development, the dev server's origin. Never a
 * file: URL (the renderer is not loaded from the disk).
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    // A custom scheme's URL has an opaque origin ('null'), so compare scheme and host instead.
    if (app.protocol === `${APP_SCHEME}:`) return target.protocol === app.protocol && target.host === app.host;
    if (app.protocol !== 'http:' && app.protocol !== 'https:') return false;
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
 * Creates the main window with the secure options. Navigation, window.open and webviews are locked for it and
 * every other web contents by the app-wide guard (web-contents-guard.ts), installed before any window exists.
 */
export function createSecureWindow(deps: SecureWindowDeps, preloadPath: string): BrowserWindow {
  const window = new deps.BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'HAN Commissioner',
    webPreferences: secureWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  return window;
}
