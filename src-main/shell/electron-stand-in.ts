import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions, CustomScheme, IpcMain } from 'electron';

/** Like Electron's app 'web-contents-created': every FakeWebContents announces itself here when created. */
export const webContentsCreation = new EventEmitter();

/**
 * A stand-in for the 'electron' module, for tests on machines where Electron's binary cannot run. It records
 * what the shell asks of Electron so tests can assert the secure options, handlers and navigation guards.
 */
export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  sent: unknown[][] = [];
  constructor() {
    super();
    webContentsCreation.emit('created', this);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
  isDestroyed(): boolean {
    return false;
  }
  /** Emits a navigation and reports whether the shell prevented it (frame navigation carries the URL on the event). */
  navigate(eventName: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', url: string): boolean {
    let prevented = false;
    this.emit(eventName, { url, preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
  /** Emits will-attach-webview and reports whether the shell prevented it. */
  attachWebview(): boolean {
    let prevented = false;
    this.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    return prevented;
  }
}

/** Electron's app, as far as the guard uses it: web contents creation reaches 'web-contents-created' listeners. */
export class FakeApp extends EventEmitter {
  constructor() {
    super();
    webContentsCreation.on('created', (contents: FakeWebContents) => this.emit('web-contents-created', {}, contents));
  }
}

/** Records privileged schemes and protocol handlers; fetch() runs a request through the registered handler. */
export class FakeProtocol {
  readonly privileged: CustomScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`second handler for ${scheme}`);
    this.handlers.set(scheme, handler);
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
