import type { Socket } from 'node:net';
import type { Logger } from '../../util/logger';
import { encodeFrame, MAX_DATA, MtType, type MtSubsystem } from './unpi';

/**
 * The emulator's side of the host connection(s): frames out over every attached socket, and the timers whose
 * work must stop with the emulator.
 */
export class HostLink {
  readonly sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #log: Logger;
  stopped = false;

  constructor(log: Logger) {
    this.#log = log;
  }

  get connected(): boolean {
    return this.sockets.size > 0;
  }

  send(type: MtType, subsystem: MtSubsystem, command: number, data: Buffer): void {
    if (data.length > MAX_DATA) {
      this.#log.warn('frame too long, dropped', { subsystem, command });
      return;
    }
    const bytes = encodeFrame({ type, subsystem, command, data });
    for (const socket of this.sockets) if (!socket.destroyed) socket.write(bytes);
  }

  areq(subsystem: MtSubsystem, command: number, data: Buffer): void {
    this.send(MtType.AREQ, subsystem, command, data);
  }

  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.#timers.add(timer);
  }

  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.dropConnections();
  }
}
