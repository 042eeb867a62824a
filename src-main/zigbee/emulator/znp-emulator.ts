import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { EsmeRegister } from '../../premises/premises-model';
import { createRfEnvironment, type RfEnvironment } from '../../premises/rf-environment';
import type { Logger } from '../../util/logger';
import { CoordinatorState } from './coordinator-state';
import { DeviceNetwork, type EmulatorEvent } from './device-network';
import { DeviceZcl } from './device-zcl';
import { HostLink } from './host-link';
import { AF_COMMANDS } from './mt-af';
import { APP_CNF_COMMANDS } from './mt-app-cnf';
import { Reader } from './mt-codec';
import type { Handled, MtCommandTable, MtContext } from './mt-context';
import { SYS_COMMANDS } from './mt-sys';
import { UTIL_COMMANDS } from './mt-util';
import { ZDO_COMMANDS } from './mt-zdo';
import { NvMemory, type NvSnapshot } from './nv-memory';
import { RadioWorld } from './radio-world';
import { MtSubsystem, MtType, UnpiParser, type MtFrame } from './unpi';
import { VirtualSeDevice, type VirtualSeDeviceSpec } from './virtual-se-device';

export type { EmulatorEvent } from './device-network';

/**
 * A Z-Stack 3.x.0 ZNP coordinator (CC26x2, MT over UNPI) served over TCP, with virtual Smart Energy devices around
 * it. Layered like the protocol: UNPI framing (unpi.ts) → one MT command table per subsystem (mt-sys, mt-af,
 * mt-zdo, mt-util, mt-app-cnf) → the coordinator's state (coordinator-state, nv-memory, nib) and ZDO as each node
 * runs it (zdo-server, zdo-router) → the devices on the air (device-network, topology) in the radio world
 * (radio-world) → the virtual SE devices (virtual-se-device, device-zcl). This file is the transport: one SREQ at a
 * time, answered after `latencyMs`, the SRSP followed by the AREQs it causes. MT allows one outstanding SREQ and
 * herdsman serialises them, so `exchanges` × latency is the protocol minimum for any herdsman workload.
 */

export interface ZnpEmulatorOptions {
  readonly devices: readonly VirtualSeDeviceSpec[];
  readonly esmeRegister: EsmeRegister;
  readonly log: Logger;
  readonly host?: string;
  /** Fixed delay before each SREQ is answered (ms). */
  readonly latencyMs?: number;
  /** Sleepy end devices poll their parent this often (ms); frames for them wait until then. */
  readonly sleepyPollMs?: number;
  /** Delay between successive devices' join attempts after joining opens (ms). */
  readonly joinDelayMs?: number;
  /** A refused device tries again this often while joining stays open (ms). */
  readonly joinRetryMs?: number;
  /** Restore NV (a power-cycled dongle); otherwise factory-new NV. */
  readonly nv?: NvSnapshot;
  /** Coordinator EUI-64, 16 hex digits. */
  readonly ieee?: string;
  readonly now?: () => number;
  readonly gasBaseLitres?: number;
  /** The premises' radio environment; defaults to seed 1's. */
  readonly rf?: RfEnvironment;
}

const SUBSYSTEMS = new Map<number, MtCommandTable>([
  [MtSubsystem.SYS, SYS_COMMANDS],
  [MtSubsystem.AF, AF_COMMANDS],
  [MtSubsystem.ZDO, ZDO_COMMANDS],
  [MtSubsystem.UTIL, UTIL_COMMANDS],
  [MtSubsystem.APP_CNF, APP_CNF_COMMANDS],
]);

/** MT_RPC error codes in RPC_SYS_COMMAND_ERROR. */
const RPC_ERR = { SUBSYSTEM: 0x01, COMMAND_ID: 0x02, LENGTH: 0x04 } as const;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class ZnpEmulator extends EventEmitter<{ event: [EmulatorEvent] }> {
  readonly #server: Server;
  readonly #log: Logger;
  readonly #options: ZnpEmulatorOptions;
  readonly #host: HostLink;
  readonly #ctx: MtContext;
  readonly state: CoordinatorState;
  readonly network: DeviceNetwork;
  /** The radio world: static RF environment and the dynamic impairments a test or the Settings screen switches on. */
  readonly radio: RadioWorld;
  latencyMs: number;
  /** Request/response exchanges served (one per SREQ answered), and per command. */
  exchanges = 0;
  readonly exchangesByCommand = new Map<string, number>();
  /** Time with no host request waiting or being answered since the counters were reset (the host was thinking). */
  #idleMs = 0;
  #idleSince = Date.now();
  #pending = 0;
  #chain: Promise<void> = Promise.resolve();
  #offline = false;
  #port = 0;

  private constructor(options: ZnpEmulatorOptions, server: Server) {
    super();
    this.#options = options;
    this.#server = server;
    this.#log = options.log;
    const now = options.now ?? Date.now;
    this.latencyMs = options.latencyMs ?? 0;
    const factoryIeee = (options.ieee ?? '00124B0018ED1A5C').toUpperCase();
    this.state = new CoordinatorState(options.nv ? NvMemory.from(options.nv) : NvMemory.factory(factoryIeee, randomBytes(32)), factoryIeee);
    this.#host = new HostLink(this.#log);
    this.radio = new RadioWorld(options.rf ?? createRfEnvironment(1), { now });
    const env = { now, esmeRegister: options.esmeRegister, gasBaseLitres: options.gasBaseLitres ?? 4_321_000, gasFlowLitresPerHour: 120 };
    const devices = options.devices.map((spec, i) => new VirtualSeDevice(spec, env, i));
    for (const device of devices) this.radio.place(device.eui64, device.lqi);
    const emit = (event: EmulatorEvent): void => void this.emit('event', event);
    this.network = new DeviceNetwork(devices, this.#host, this.state, this.radio, {
      now,
      log: this.#log,
      emit,
      sleepyPollMs: options.sleepyPollMs ?? 7500,
      joinDelayMs: options.joinDelayMs ?? 20,
      joinRetryMs: options.joinRetryMs ?? 2000,
    });
    const zcl = new DeviceZcl({ host: this.#host, network: this.network, state: this.state, radio: this.radio, now, emit });
    this.#ctx = { state: this.state, network: this.network, zcl, radio: this.radio, host: this.#host, log: this.#log, now, emit };
  }

  static async start(options: ZnpEmulatorOptions): Promise<ZnpEmulator> {
    const server = createServer();
    const emulator = new ZnpEmulator(options, server);
    server.on('connection', (socket) => emulator.#accept(socket));
    // After listening, a server error (EMFILE on accept, …) must never end the process that hosts the premises.
    server.on('error', (error) => options.log.warn('emulator server error', { error: error.message }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        emulator.#port = typeof address === 'object' && address ? address.port : 0;
        resolve();
      });
    });
    return emulator;
  }

  get port(): number {
    return this.#port;
  }

  get nv(): NvMemory {
    return this.state.nv;
  }

  /** The coordinator's EUI-64: the factory address, or the one a restored backup wrote to NV (ZCD_NV_EXTADDR). */
  get ieee(): string {
    return this.state.ieee;
  }

  get devices(): VirtualSeDevice[] {
    return this.network.devices;
  }

  get connected(): boolean {
    return this.#host.connected;
  }

  get sleepyPollMs(): number {
    return this.network.sleepyPollMs;
  }

  device(eui64: string): VirtualSeDevice | undefined {
    return this.network.device(eui64);
  }

  /** Fault injection: drop every host connection now (the dongle's TCP bridge lost). */
  dropConnections(): void {
    this.#host.dropConnections();
  }

  /**
   * Fault injection: take the dongle off the network (connections refused, the listening port closed) and bring it
   * back on the same port. Device and NV state survive, as in a real dongle whose TCP bridge went away.
   */
  async setOffline(offline: boolean): Promise<void> {
    if (offline === this.#offline || this.#host.stopped) return;
    this.#offline = offline;
    if (offline) {
      this.dropConnections();
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    } else {
      await new Promise<void>((resolve, reject) => {
        this.#server.once('error', reject);
        this.#server.listen(this.#port, this.#options.host ?? '127.0.0.1', () => {
          this.#server.off('error', reject);
          resolve();
        });
      });
    }
  }

  /** Power a virtual device on or off; a powered device tries to join while joining is open. */
  setPowered(eui64: string, powered: boolean): void {
    const device = this.device(eui64);
    if (!device) return;
    device.powered = powered;
    if (powered && this.network.permitOpen()) this.network.scheduleJoin(device, this.#options.joinDelayMs ?? 20);
  }

  resetCounters(): void {
    this.exchanges = 0;
    this.exchangesByCommand.clear();
    this.#idleMs = 0;
    this.#idleSince = Date.now();
  }

  /** Milliseconds since the last reset during which no request was outstanding. */
  get idleMs(): number {
    return this.#idleMs + (this.#pending === 0 ? Date.now() - this.#idleSince : 0);
  }

  async stop(): Promise<void> {
    this.#host.stop();
    this.network.stop();
    this.radio.stop();
    if (this.#server.listening) await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---- transport -------------------------------------------------------------------------------------------

  #accept(socket: Socket): void {
    if (this.#offline || this.#host.stopped) {
      socket.destroy();
      return;
    }
    // herdsman sets TCP_NODELAY on its side; without it here Nagle + delayed ACK add ~40 ms per SRSP+AREQ pair.
    socket.setNoDelay(true);
    this.#host.sockets.add(socket);
    const parser = new UnpiParser({
      frame: (frame) => this.#onFrame(frame),
      garbage: (bytes, reason) => {
        this.#log.debug('skipped bytes', { reason, bytes: bytes.length });
        if (reason !== 'no-sof') this.emit('event', { kind: 'malformed', reason: reason === 'bad-fcs' ? 'bad FCS' : 'length over 250' });
      },
    });
    socket.on('data', (chunk) => parser.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.#host.sockets.delete(socket));
    // Joins deferred while no host was attached go ahead now.
    if (this.network.permitOpen()) this.network.scheduleJoins();
  }

  #onFrame(frame: MtFrame): void {
    if (frame.type !== MtType.SREQ && frame.type !== MtType.AREQ) {
      this.#log.debug('ignored frame type', { type: frame.type });
      return;
    }
    if (this.#pending === 0) this.#idleMs += Date.now() - this.#idleSince;
    this.#pending += 1;
    this.#chain = this.#chain.then(async () => {
      try {
        await this.#process(frame);
      } finally {
        this.#pending -= 1;
        if (this.#pending === 0) this.#idleSince = Date.now();
      }
    });
  }

  async #process(frame: MtFrame): Promise<void> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    if (this.#host.stopped) return;
    const table = SUBSYSTEMS.get(frame.subsystem);
    const handler = table?.get(frame.command);
    if (!handler) {
      if (frame.type === MtType.SREQ) this.#rpcError(frame, table ? RPC_ERR.COMMAND_ID : RPC_ERR.SUBSYSTEM);
      return;
    }
    let handled: Handled;
    try {
      handled = handler(this.#ctx, new Reader(frame.data));
    } catch (error) {
      this.#log.warn('malformed MT frame', { subsystem: frame.subsystem, command: frame.command, error: String(error) });
      this.emit('event', { kind: 'malformed', reason: String(error) });
      if (frame.type === MtType.SREQ) this.#rpcError(frame, RPC_ERR.LENGTH);
      return;
    }
    if (frame.type === MtType.SREQ) {
      if (handled.rsp === undefined) {
        // An AREQ-only command (SYS_RESET_REQ) sent as an SREQ: MT has no SRSP for it.
        this.#rpcError(frame, RPC_ERR.COMMAND_ID);
        return;
      }
      this.exchanges += 1;
      const key = `${MtSubsystem[frame.subsystem] ?? frame.subsystem}.${frame.command}`;
      this.exchangesByCommand.set(key, (this.exchangesByCommand.get(key) ?? 0) + 1);
      this.#host.send(MtType.SRSP, frame.subsystem, frame.command, handled.rsp);
    }
    try {
      handled.after?.();
    } catch (error) {
      // What a request causes must never stop the emulator answering the next one.
      this.#log.warn('error after MT request', { subsystem: frame.subsystem, command: frame.command, error: String(error) });
      this.emit('event', { kind: 'malformed', reason: String(error) });
    }
  }

  /** RPC_SYS_COMMAND_ERROR: SRSP on subsystem RES0, command 0, [error code, cmd0, cmd1]. */
  #rpcError(frame: MtFrame, code: number): void {
    this.#log.debug('unsupported MT command', { subsystem: frame.subsystem, command: frame.command });
    this.#host.send(MtType.SRSP, MtSubsystem.RES0, 0x00, Buffer.from([code, (frame.type << 5) | frame.subsystem, frame.command]));
  }
}
