import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions, IpcMain } from 'electron';

/**
 * A stand-in for the 'electron' module, for tests on machines where Electron's binary cannot run. It records
 * what the shell asks of Electron so tests can assert the secure options, handlers and navigation guards.
 */
export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  sent: unknown[][] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
  isDestroyed(): boolean {
    return false;
  }
  /** Emits a navigation and reports whether the shell prevented it. */
  navigate(eventName: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false;
    this.emit(eventName, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded: string | undefined;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  async loadFile(path: string): Promise<void> {
    this.loaded = `file:${path}`;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = url;
  }
  show(): void {}
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: Parameters<IpcMain['handle']>[1]): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    // Tests pass plain objects as the invoke event; the handlers only read senderFrame from it.
    this.handlers.set(channel, handler as (event: unknown, ...args: unknown[]) => unknown);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

export class FakeSession {
  permissionRequestHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheckHandler: (() => boolean) | undefined;
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: () => boolean): void {
    this.permissionCheckHandler = handler;
  }
}
