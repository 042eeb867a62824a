import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';

/**
 * Real processes for the resume test: `hantool sim` in its own process (its emulators outlive the app) and the
 * web host (`src-main/host/serve.ts`, what `npm run serve` and the app's fallback run), driven over its
 * token-guarded IPC WebSocket exactly as the renderer drives it, and killed with SIGKILL.
 */

export interface NodeProcess {
  readonly child: ChildProcess;
  /** Everything written on stderr so far. */
  stderr(): string;
  firstLine(timeoutMs: number): Promise<string>;
  /** Resolves when stderr contains `text`. */
  waitForStderr(text: string, timeoutMs: number): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export function spawnNode(script: string, args: readonly string[], env: Record<string, string>): NodeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of waiters) waiter();
  });
  const lines = createInterface({ input: child.stdout! });
  const first = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before its first line: ${stderr}`)));
  });
  first.catch(() => undefined);
  return {
    child,
    stderr: () => stderr,
    firstLine: (timeoutMs) =>
      Promise.race([
        first,
        new Promise<string>((_, reject) => setTimeout(() => reject(new Error(`${script}: no line in ${timeoutMs} ms: ${stderr}`)), timeoutMs)),
      ]),
    waitForStderr: (text, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!stderr.includes(text)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`"${text}" not on stderr within ${timeoutMs} ms: ${stderr.slice(-2000)}`));
        }, timeoutMs);
        const onExit = (): void => {
          cleanup();
          reject(new Error(`process exited before "${text}": ${stderr.slice(-2000)}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('exit', onExit);
        };
        waiters.add(check);
        child.once('exit', onExit);
        check();
      }),
    kill: (signal) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** A port that was free a moment ago (for the app's receive-response listener, fixed as in a DCC Boxed set-up). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The renderer's side of the IPC contract over the web host's WebSocket. */
export class IpcClient {
  #next = 1;
  readonly #waiting = new Map<number, (result: { ok: boolean; value?: unknown; error?: { code: string; message: string } }) => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: { ok: boolean } };
      if (typeof message.id === 'number') this.#waiting.get(message.id)?.(message.result as never);
    });
  }

  static async connect(hostUrl: string): Promise<IpcClient> {
    const url = new URL(hostUrl);
    const ws = new WebSocket(`ws://${url.host}/ipc?token=${url.searchParams.get('token')}`, { headers: { origin: url.origin } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new IpcClient(ws);
  }

  /** Sends a request; resolves with its value, rejects with the app's error message. */
  call<T = unknown>(channel: string, args?: unknown): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, (result) => {
        this.#waiting.delete(id);
        if (result.ok) resolve(result.value as T);
        else reject(new Error(`${channel}: ${result.error?.code} ${result.error?.message}`));
      });
      this.ws.send(JSON.stringify({ id, channel, args }));
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
