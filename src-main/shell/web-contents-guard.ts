import type { App, WebContents } from 'electron';

/** What the guard needs of a web contents: the three navigation events, window.open and webview attach. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Locks one web contents (checklist 13–14): navigation and redirects stay on the app's own page, window.open is
 * denied, and no webview may attach.
 */
export function guardWebContents(contents: GuardedContents, isAppUrl: (url: string) => boolean): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Installs the guard app-wide, before any window exists: every web contents Electron creates (the main window,
 * any later window, a devtools or webview contents should one ever appear) is locked the moment it is created.
 */
export function installWebContentsGuard(app: Pick<App, 'on'>, isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, isAppUrl));
}
