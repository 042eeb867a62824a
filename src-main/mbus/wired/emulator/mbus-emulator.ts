import { createServer, type Server, type Socket } from 'node:net';
import type { EmulatorFactory, RunningEmulator } from '../../../premises/emulator';
import { type Logger, silentLogger } from '../../../util/logger';
import { VirtualBus } from './bus';
import { defaultSlaves } from './default-slaves';
import { VirtualSlave, type VirtualSlaveSpec } from './virtual-slave';

export interface MbusEmulatorOptions {
  readonly host?: string;
  readonly port?: number;
  readonly slaves?: readonly VirtualSlaveSpec[];
  /** Behave like a cheap level converter that echoes every byte the master sends. */
  readonly echo?: boolean;
  readonly log?: Logger;
  readonly now?: () => number;
}

/** A wired M-Bus behind a TCP "gateway": every connection is a master port on the same bus of virtual slaves. */
export async function startMbusEmulator(options: MbusEmulatorOptions = {}): Promise<RunningEmulator & { bus: VirtualBus }> {
  const log = (options.log ?? silentLogger).child('mbus:emulator');
  const bus = new VirtualBus((options.slaves ?? defaultSlaves()).map((s) => new VirtualSlave(s, options.now)));
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      if (options.echo) socket.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      const { reply, consumed } = bus.transfer(pending);
      pending = pending.subarray(consumed);
      if (pending.length > 512) pending = Buffer.alloc(0); // garbage that never forms a frame
      if (reply.length > 0) socket.write(reply);
    });
    socket.on('error', (error) => log.debug('socket error', { error: error.message }));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  server.on('error', (error) => log.warn('server error', { error: error.message }));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  log.info('listening', { port, slaves: bus.slaves.length });
  return {
    port,
    bus,
    details: { slaves: bus.slaves.map((s) => ({ primary: s.primary, id: s.spec.id, manufacturer: s.spec.manufacturer })) },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const mbusEmulatorFactory: EmulatorFactory = {
  name: 'mbus',
  label: 'Wired M-Bus gateway with 6 slaves (emulated)',
  start: (context) => startMbusEmulator({ host: context.host, log: context.log }),
};
