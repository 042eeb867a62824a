import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { createAppServices } from './app/app-services';
import { installCrashGuard } from './app/crash-guard';
import { FileSecretStore } from './secrets/file-secret-store';
import { resolveDataDir } from './store/data-dir';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_URL, createAppProtocolHandler } from './shell/app-protocol';
import { forwardEvents, registerIpcHandlers } from './shell/ipc-register';
import { createSafeStorageSecrets } from './shell/safe-storage-secrets';
import { createSecureWindow, isAppUrl, lockDownSession } from './shell/secure-window';
import { createSaveDialog } from './shell/save-dialog';
import { installWebContentsGuard } from './shell/web-contents-guard';

// Electron entry: the thin shell around the same services the web host and CLI use.
const singleInstance = app.requestSingleInstanceLock();
if (!singleInstance) app.quit();

// Both before 'ready': the app scheme must be privileged before it is used, and the guard must be in place
// before the first web contents exists.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const appUrl = devUrl ?? APP_URL;
const trusted = (url: string): boolean => isAppUrl(url, appUrl);
installWebContentsGuard(app, trusted);

app
  .whenReady()
  .then(async () => {
    lockDownSession(session.defaultSession);
    protocol.handle(APP_SCHEME, createAppProtocolHandler(join(import.meta.dirname, '../renderer')));
    const dataDir = resolveDataDir();
    // Secrets the web host or CLI sealed with the file key stay readable in the app.
    const secrets = createSafeStorageSecrets(safeStorage, process.platform, await FileSecretStore.open(dataDir));
    // The app's one window (single instance), whose sheet the save dialog is.
    const saveDialog = createSaveDialog(dialog, () => BrowserWindow.getAllWindows()[0]);
    const services = await createAppServices({ owner: 'HAN Commissioner app', dataDir, saveDialog, ...(secrets ? { secrets } : {}) });
    installCrashGuard(services.log.child('process'));
    const unregister = registerIpcHandlers(ipcMain, services.dispatch, trusted, services.log.child('shell'));
    const window = createSecureWindow({ BrowserWindow }, join(import.meta.dirname, '../preload/index.cjs'));
    const stopEvents = forwardEvents(services.events, window.webContents);

    // Cmd+Q, app.quit() and closing the last window all pass through before-quit (window-all-closed does not
    // fire for the first two): stop the coordinator, save backups and release the data folder before exiting.
    let shuttingDown = false;
    app.on('before-quit', (event) => {
      if (shuttingDown) return;
      shuttingDown = true;
      event.preventDefault();
      stopEvents();
      unregister();
      void services
        .close()
        .catch((error: unknown) => services.log.error('shutdown failed', { error }))
        .finally(() => app.exit(0));
    });
    app.on('window-all-closed', () => app.quit());

    await window.loadURL(appUrl);
  })
  .catch((error: unknown) => {
    console.error('HAN Commissioner failed to start:', error);
    app.exit(1);
  });
