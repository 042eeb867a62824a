import { isIP } from 'node:net';
import { startResponseListener } from './response-listener';
import type { TrustedSigners } from './credentials';

/** What an engineer can act on, by the system's error code when binding a listener. */
const BIND_PROBLEMS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'that port is already in use by another program',
  EACCES: 'this user may not listen on that port (ports below 1024 need administrator rights)',
  EADDRNOTAVAIL: 'that address does not belong to this computer',
  ENOTFOUND: 'that host name does not resolve',
  EAI_AGAIN: 'that host name could not be resolved now',
};

/** The listener's address is this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Said beside the setting and in the DCC status whenever the listener is reachable from other machines. */
export function exposedListenerWarning(host: string): string | undefined {
  return isLoopbackHost(host)
    ? undefined
    : `The receive-response listener accepts connections from other machines on ${host}; DCC replies are still signature-checked, but use loopback unless the DCC must reach this laptop directly.`;
}

export class ListenerBindError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
  ) {
    super(`the receive-response listener cannot listen on ${host}:${port}: ${BIND_PROBLEMS[code] ?? `the system refused it (${code})`}`);
    this.name = 'ListenerBindError';
  }
}

/**
 * Binds a receive-response listener on the address and port and closes it again, so a connection whose
 * listener can never start is refused when it is saved, not at every later start.
 */
export async function checkListenerBinds(host: string, port: number, signers: TrustedSigners): Promise<void> {
  try {
    const listener = await startResponseListener({ signers, host, port });
    await listener.close();
  } catch (error) {
    throw new ListenerBindError(host, port, (error as NodeJS.ErrnoException).code ?? 'UNKNOWN');
  }
}
