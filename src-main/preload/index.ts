import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { requestChannels, type HanBridge } from '../../src-shared/ipc/contract';
import type { Result } from '../../src-shared/ipc/result';

/**
 * Exposes only the typed bridge (checklist 20): invoke on contract channels, and one event subscription.
 * Raw ipcRenderer never reaches the page. Sandboxed, so electron-vite bundles this into one CJS file.
 */
const allowed = new Set<string>(Object.keys(requestChannels));

const bridge: HanBridge = {
  invoke(channel, args) {
    if (!allowed.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `There is no request channel named ${channel}.` } });
    }
    return ipcRenderer.invoke(channel, args) as Promise<Result<unknown>>;
  },
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, channel: string, payload: unknown): void => listener(channel, payload);
    ipcRenderer.on('han:event', handler);
    return () => ipcRenderer.removeListener('han:event', handler);
  },
};

contextBridge.exposeInMainWorld('han', bridge);
