import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session } from 'electron';
import { createAppServices } from './app/app-services';
import { installCrashGuard } from './app/crash-guard';
import { FileSecretStore } from './secrets/file-secret-store';
import { resolveDataDir } from './store/data-dir';
import { forwardEvents, registerIpcHandlers } from './shell/ipc-register';
import { createSafeStorageSecrets } from './shell/safe-storage-secrets';
import { createSecureWindow, isAppUrl, lockDownSession } from './shell/secure-window';
import { createSaveDialog } from './shell/save-dialog';

// Electron entry: the thin shell around the same services the web host and CLI use.
const singleInstance = app.requestSingleInstanceLock();
if (!singleInstance) app.quit();

app
  .whenReady()
  .then(async () => {
    lockDownSession(session.defaultSession);
    const dataDir = resolveDataDir();
    // Secrets the web host or CLI sealed with the file key stay readable in the app.
    const secrets = createSafeStorageSecrets(safeStorage, process.platform, await FileSecretStore.open(dataDir));
    // The app's one window (single instance), whose sheet the save dialog is.
    const saveDialog = createSaveDialog(dialog, () => BrowserWindow.getAllWindows()[0]);
    const services = await createAppServices({ owner: 'HAN Commissioner app', dataDir, saveDialog, ...(secrets ? { secrets } : {}) });
    installCrashGuard(services.log.child('process'));
    const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
    const appUrl = devUrl ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
    const trusted = (url: string): boolean => isAppUrl(url, appUrl);
    const unregister = registerIpcHandlers(ipcMain, services.dispatch, trusted, services.log.child('shell'));
    const window = createSecureWindow({ BrowserWindow }, join(import.meta.dirname, '../preload/index.cjs'), appUrl);
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

    await (devUrl ? window.loadURL(devUrl) : window.loadFile(join(import.meta.dirname, '../renderer/index.html')));
  })
  .catch((error: unknown) => {
    console.error('HAN Commissioner failed to start:', error);
    app.exit(1);
  });
