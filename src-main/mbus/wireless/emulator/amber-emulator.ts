import { createServer, type Socket } from 'node:net';
import type { EmulatorFactory, RunningEmulator } from '../../../premises/emulator';
import { seededRandom } from '../../../util/seeded-random';
import { type Logger, silentLogger } from '../../../util/logger';
import { AMBER, AMBER_PARAM_CMD_OUT, AMBER_PARAM_RSSI_ENABLE, AmberParser, amberRssiRaw, encodeAmber } from '../sticks/amber';
import { defaultRadioMeters, VirtualRadioMeter, type VirtualRadioMeterSpec } from './virtual-meters';

export interface AmberEmulatorOptions {
  readonly host?: string;
  readonly port?: number;
  readonly meters?: readonly VirtualRadioMeterSpec[];
  /** Time between two telegrams (from the meters in turn). Default 1500 ms. */
  readonly intervalMs?: number;
  /** Parameter memory as a factory-fresh stick has it (command output on, RSSI off) instead of ready to use. */
  readonly factoryParams?: boolean;
  /** Called for every SET the host sends (tests check that non-volatile writes happen only when needed). */
  readonly onSet?: (address: number, value: Uint8Array) => void;
  readonly seed?: number;
  readonly log?: Logger;
  readonly now?: () => number;
}

/** AMB8465 parameter memory is 0x78 bytes: a GET of 0x80 bytes returns 0x78 (reply length 0x7A). */
const PARAM_SIZE = 0x78;

/**
 * An Amber AMB8465-M stick behind a serial server: answers the host protocol (GET/SET/SET_MODE/RESET/SERIALNO/
 * FWV/RSSI) and streams DATA_IND telegrams from virtual meters, plain, mode 5 and mode 7, with wandering RSSI.
 */
export async function startAmberEmulator(options: AmberEmulatorOptions = {}): Promise<RunningEmulator> {
  const log = (options.log ?? silentLogger).child('wmbus:amber-emulator');
  const specs = options.meters ?? defaultRadioMeters();
  const intervalMs = options.intervalMs ?? 1500;
  const now = options.now ?? Date.now;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const random = seededRandom(options.seed ?? 7);
    const meters = specs.map((spec, i) => new VirtualRadioMeter(spec, Math.floor(random() * 256) + i));
    const rssi = specs.map(() => -85 + random() * 30);
    const params = new Uint8Array(PARAM_SIZE);
    params[AMBER_PARAM_CMD_OUT] = 1;
    params[AMBER_PARAM_RSSI_ENABLE] = options.factoryParams ? 0 : 1;
    let mode = 0x08;
    let turn = 0;
    const parser = new AmberParser();
    const send = (bytes: Uint8Array): void => {
      if (!socket.destroyed) socket.write(bytes);
    };
    socket.on('data', (chunk) => {
      for (const frame of parser.push(chunk)) {
        const p = frame.payload;
        switch (frame.cmd) {
          case AMBER.GET: {
            const address = p[0] ?? 0;
            const length = Math.max(0, Math.min(p[1] ?? 0, PARAM_SIZE - address));
            send(encodeAmber(AMBER.GET | 0x80, Uint8Array.of(address, length, ...params.subarray(address, address + length))));
            break;
          }
          case AMBER.SET: {
            const [address = 0, length = 0] = p;
            const ok = address + length <= PARAM_SIZE && p.length === length + 2;
            if (ok) {
              params.set(p.subarray(2), address);
              options.onSet?.(address, p.subarray(2));
            }
            send(encodeAmber(AMBER.SET | 0x80, Uint8Array.of(ok ? 0 : 1)));
            break;
          }
          case AMBER.SET_MODE:
            mode = p[0] ?? mode;
            send(encodeAmber(AMBER.SET_MODE | 0x80, Uint8Array.of(0)));
            log.debug('mode', { mode });
            break;
          case AMBER.RESET:
            send(encodeAmber(AMBER.RESET | 0x80, Uint8Array.of(0)));
            break;
          case AMBER.SERIALNO:
            send(encodeAmber(AMBER.SERIALNO | 0x80, Uint8Array.of(0x00, 0x01, 0x84, 0x65)));
            break;
          case AMBER.FWV:
            send(encodeAmber(AMBER.FWV | 0x80, Uint8Array.of(1, 4, 0)));
            break;
          case AMBER.RSSI:
            send(encodeAmber(AMBER.RSSI | 0x80, Uint8Array.of(amberRssiRaw(-100))));
            break;
          default:
            break;
        }
      }
    });
    const timer = setInterval(() => {
      if (params[AMBER_PARAM_CMD_OUT] !== 1 || meters.length === 0) return;
      const i = turn++ % meters.length;
      // RSSI wanders like a walk-by: ±3 dB per telegram, kept between −100 and −40 dBm.
      rssi[i] = Math.min(-40, Math.max(-100, rssi[i]! + (random() - 0.5) * 6));
      const telegram = meters[i]!.next(now());
      const payload = params[AMBER_PARAM_RSSI_ENABLE] === 1 ? Uint8Array.of(...telegram, amberRssiRaw(rssi[i]!)) : telegram;
      send(encodeAmber(AMBER.DATA_IND, payload));
    }, intervalMs);
    timers.add(timer);
    socket.on('error', (error) => log.debug('socket error', { error: error.message }));
    socket.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  server.on('error', (error) => log.warn('server error', { error: error.message }));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  log.info('listening', { port, meters: specs.length });
  return {
    port,
    details: {
      meters: specs.map((s) => ({ ...s.address, security: s.security, ...(s.key ? { aesKey: s.key } : {}) })),
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const wmbusEmulatorFactory: EmulatorFactory = {
  name: 'wmbus',
  label: 'Amber AMB8465-M wM-Bus stick (emulated)',
  start: (context) => startAmberEmulator({ host: context.host, log: context.log }),
};
