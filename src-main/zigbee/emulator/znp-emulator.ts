import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { EsmeRegister } from '../../premises/premises-model';
import { createRfEnvironment, type RfEnvironment } from '../../premises/rf-environment';
import type { Logger } from '../../util/logger';
import { aesMmoHash } from '../link-key';
import { NV, NvMemory, type NvSnapshot } from './nv-memory';
import { encodeBeacon, RadioWorld, scanMsPerChannel, type OwnNetwork } from './radio-world';
import { neighbourTable, routingTable, type TopologyView } from './topology';
import { encodeFrame, MtSubsystem, MtType, UnpiParser, type MtFrame } from './unpi';
import { CLUSTER, SE_PROFILE, VirtualSeDevice, type VirtualSeDeviceSpec } from './virtual-se-device';
import {
  decodeConfigureReporting,
  decodeReadRequest,
  decodeZclFrame,
  encodeDefaultResponse,
  encodeReadResponse,
  encodeReport,
  encodeZclFrame,
  ZclCommand,
  ZclStatus,
  type ZclFrame,
} from './zcl-codec';

/**
 * A Z-Stack 3.x.0 ZNP coordinator (MT over UNPI) served over TCP, with virtual Smart Energy devices around it.
 * It implements the SYS/UTIL/ZDO/AF/APP_CNF commands zigbee-herdsman's zstack adapter uses to start (fresh and
 * resumed), form a network, permit joining, add install codes, interview, bind and carry ZCL — and it enforces
 * install-code-only joining like an SE trust centre. Every SREQ is answered after `latencyMs`; the SRSP is followed
 * by the AREQs it causes (dataConfirm, ZDO responses, the device's ZCL answer). Because MT allows one outstanding
 * SREQ and herdsman serialises them, `exchanges` × latency is the protocol minimum for any herdsman workload.
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

export type EmulatorEvent =
  | { kind: 'joined'; eui64: string; nwkAddress: number }
  | { kind: 'join-refused'; eui64: string; reason: 'no-install-code' | 'install-code-mismatch' }
  | { kind: 'left'; eui64: string }
  | { kind: 'delivered'; eui64: string; what: string; atMs: number }
  | { kind: 'poll'; eui64: string; atMs: number }
  | { kind: 'report'; from: string; to: string; clusterId: number }
  | { kind: 'permit-join'; seconds: number }
  | { kind: 'dropped'; eui64: string }
  | { kind: 'rejoined'; eui64: string; nwkAddress: number }
  | { kind: 'malformed'; reason: string };

const Status = { SUCCESS: 0x00, FAILURE: 0x01, INVALID_PARAMETER: 0x02, NV_ITEM_UNINIT: 0x09, NV_OPER_FAILED: 0x0a, NWK_NO_ROUTE: 0xcd } as const;

const SYS = {
  RESET_REQ: 0x00,
  PING: 0x01,
  VERSION: 0x02,
  GET_EXT_ADDR: 0x04,
  OSAL_NV_ITEM_INIT: 0x07,
  OSAL_NV_READ: 0x08,
  OSAL_NV_WRITE: 0x09,
  STACK_TUNE: 0x0f,
  OSAL_NV_DELETE: 0x12,
  OSAL_NV_LENGTH: 0x13,
  SET_TX_POWER: 0x14,
  OSAL_NV_READ_EXT: 0x1c,
  OSAL_NV_WRITE_EXT: 0x1d,
  NV_CREATE: 0x30,
  NV_DELETE: 0x31,
  NV_LENGTH: 0x32,
  NV_READ: 0x33,
  NV_WRITE: 0x34,
  RESET_IND: 0x80,
} as const;
const ZDO = {
  NWK_ADDR_REQ: 0x00,
  IEEE_ADDR_REQ: 0x01,
  NODE_DESC_REQ: 0x02,
  SIMPLE_DESC_REQ: 0x04,
  ACTIVE_EP_REQ: 0x05,
  BIND_REQ: 0x21,
  UNBIND_REQ: 0x22,
  MGMT_LQI_REQ: 0x31,
  MGMT_RTG_REQ: 0x32,
  MGMT_BIND_REQ: 0x33,
  MGMT_LEAVE_REQ: 0x34,
  MGMT_PERMIT_JOIN_REQ: 0x36,
  MGMT_NWK_UPDATE_REQ: 0x37,
  NWK_DISCOVERY_REQ: 0x26,
  MSG_CB_REGISTER: 0x3e,
  STARTUP_FROM_APP: 0x40,
  EXT_ROUTE_DISC: 0x45,
  EXT_REMOVE_GROUP: 0x47,
  EXT_FIND_GROUP: 0x4a,
  EXT_ADD_GROUP: 0x4b,
  EXT_NWK_INFO: 0x50,
  NWK_ADDR_RSP: 0x80,
  IEEE_ADDR_RSP: 0x81,
  NODE_DESC_RSP: 0x82,
  SIMPLE_DESC_RSP: 0x84,
  ACTIVE_EP_RSP: 0x85,
  BIND_RSP: 0xa1,
  UNBIND_RSP: 0xa2,
  MGMT_LQI_RSP: 0xb1,
  MGMT_RTG_RSP: 0xb2,
  MGMT_BIND_RSP: 0xb3,
  MGMT_LEAVE_RSP: 0xb4,
  MGMT_PERMIT_JOIN_RSP: 0xb6,
  MGMT_NWK_UPDATE_NOTIFY: 0xb8,
  BEACON_NOTIFY_IND: 0xc5,
  NWK_DISCOVERY_CNF: 0xc7,
  STATE_CHANGE_IND: 0xc0,
  END_DEVICE_ANNCE_IND: 0xc1,
  LEAVE_IND: 0xc9,
  TC_DEVICE_IND: 0xca,
  PERMIT_JOIN_IND: 0xcb,
} as const;
const AF = { REGISTER: 0x00, DATA_REQUEST: 0x01, DATA_REQUEST_EXT: 0x02, DATA_REQUEST_SRC_RTG: 0x03, DATA_CONFIRM: 0x80, INCOMING_MSG: 0x81 } as const;
const UTIL = { GET_DEVICE_INFO: 0x00, LED_CONTROL: 0x0a, ASSOC_GET_WITH_ADDRESS: 0x4a, ASSOC_REMOVE: 0x63, ASSOC_ADD: 0x64 } as const;
const APP_CNF = {
  BDB_ADD_INSTALL_CODE: 0x04,
  BDB_START_COMMISSIONING: 0x05,
  BDB_SET_CHANNEL: 0x08,
  BDB_SET_TC_REQUIRE_KEY_EXCHANGE: 0x09,
  BDB_COMMISSIONING_NOTIFICATION: 0x80,
} as const;

/** Z-Stack 3.x.0 (product 1) with a 2023 firmware revision: the LED is firmware-controlled, install codes supported. */
const VERSION = { transportRev: 2, product: 1, major: 2, minor: 7, maint: 1, revision: 20230507 };
const DEV_STATE_HOLD = 0;
const DEV_STATE_COORDINATOR = 9;
const NIB_LENGTH = 110;
const MAC_TRANSACTION_PERSISTENCE_MS = 7680;

class Reader {
  #offset = 0;
  constructor(readonly data: Buffer) {}
  #need(n: number): void {
    if (this.#offset + n > this.data.length) throw new RangeError('frame too short');
  }
  u8(): number {
    this.#need(1);
    return this.data[this.#offset++]!;
  }
  u16(): number {
    this.#need(2);
    const v = this.data.readUInt16LE(this.#offset);
    this.#offset += 2;
    return v;
  }
  u32(): number {
    this.#need(4);
    const v = this.data.readUInt32LE(this.#offset);
    this.#offset += 4;
    return v;
  }
  /** An IEEE address sent little-endian, returned as 16 upper-case hex digits. */
  ieee(): string {
    return Buffer.from(this.bytes(8)).reverse().toString('hex').toUpperCase();
  }
  bytes(n: number): Buffer {
    this.#need(n);
    const v = this.data.subarray(this.#offset, this.#offset + n);
    this.#offset += n;
    return v;
  }
  rest(): Buffer {
    const v = this.data.subarray(this.#offset);
    this.#offset = this.data.length;
    return v;
  }
}

const u8 = (v: number): Buffer => Buffer.from([v & 0xff]);
const u16 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v & 0xffff);
  return b;
};
const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
const ieeeLe = (hex: string): Buffer => Buffer.from(hex.padStart(16, '0'), 'hex').reverse();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface RegisteredEndpoint {
  readonly profile: number;
  readonly deviceId: number;
  readonly inClusters: number[];
  readonly outClusters: number[];
}

interface Handled {
  /** SRSP data (for SREQs). */
  readonly rsp?: Buffer;
  /** Work that follows the SRSP (AREQs). */
  readonly after?: () => void;
}

export class ZnpEmulator extends EventEmitter<{ event: [EmulatorEvent] }> {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #log: Logger;
  readonly #options: ZnpEmulatorOptions;
  readonly #now: () => number;
  readonly nv: NvMemory;
  readonly #defaultIeee: string;
  readonly devices: VirtualSeDevice[];
  /** The radio world: static RF environment and the dynamic impairments a test or the Settings screen switches on. */
  readonly radio: RadioWorld;
  latencyMs: number;
  sleepyPollMs: number;
  /** Request/response exchanges served (one per SREQ answered), and per command. */
  exchanges = 0;
  readonly exchangesByCommand = new Map<string, number>();
  /** Time with no host request waiting or being answered since the counters were reset (the host was thinking). */
  #idleMs = 0;
  #idleSince = Date.now();
  #pending = 0;
  #devState = DEV_STATE_HOLD;
  readonly #endpoints = new Map<number, RegisteredEndpoint>();
  readonly #groups = new Set<string>();
  /** Install-code-derived TC link keys by EUI-64 (hex), as the trust centre holds them. */
  readonly #tcLinkKeys = new Map<string, string>();
  #primaryChannelMask = 0;
  #permitUntil = 0;
  #permitTimer: NodeJS.Timeout | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #pollTimers = new Map<string, NodeJS.Timeout>();
  readonly #indirect = new Map<string, { enqueuedAt: number; deliver: () => void; expire?: () => void }[]>();
  #chain: Promise<void> = Promise.resolve();
  #offline = false;
  #port = 0;
  #nextNwk = 0x3a01;
  #deviceTsn = 0;
  #nwkUpdateId = 0;
  #stopped = false;

  private constructor(options: ZnpEmulatorOptions, server: Server) {
    super();
    this.#options = options;
    this.#server = server;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.latencyMs = options.latencyMs ?? 0;
    this.sleepyPollMs = options.sleepyPollMs ?? 7500;
    this.nv = options.nv ? NvMemory.from(options.nv) : NvMemory.factory();
    this.#defaultIeee = (options.ieee ?? '00124B0018ED1A5C').toUpperCase();
    const env = {
      now: this.#now,
      esmeRegister: options.esmeRegister,
      gasBaseLitres: options.gasBaseLitres ?? 4_321_000,
      gasFlowLitresPerHour: 120,
    };
    this.devices = options.devices.map((spec, i) => new VirtualSeDevice(spec, env, i));
    this.radio = new RadioWorld(options.rf ?? createRfEnvironment(1), { now: this.#now });
    for (const device of this.devices) this.radio.place(device.eui64, device.lqi);
    this.radio.on('drop', (eui64) => this.#emit({ kind: 'dropped', eui64 }));
    this.radio.on('rejoin', (eui64) => this.#rejoin(eui64));
  }

  static async start(options: ZnpEmulatorOptions): Promise<ZnpEmulator> {
    const server = createServer();
    const emulator = new ZnpEmulator(options, server);
    server.on('connection', (socket) => emulator.#accept(socket));
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

  /** The coordinator's EUI-64: the factory address, or the one a restored backup wrote to NV (ZCD_NV_EXTADDR). */
  get ieee(): string {
    const stored = this.nv.get(NV.EXTADDR);
    return stored && stored.length === 8 ? Buffer.from(stored).reverse().toString('hex').toUpperCase() : this.#defaultIeee;
  }

  get connected(): boolean {
    return this.#sockets.size > 0;
  }

  device(eui64: string): VirtualSeDevice | undefined {
    return this.devices.find((d) => d.eui64 === eui64.toUpperCase());
  }

  /** Fault injection: drop every host connection now (the dongle's TCP bridge lost). */
  dropConnections(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  /**
   * Fault injection: take the dongle off the network (connections refused, the listening port closed) and bring it
   * back on the same port. Device and NV state survive, as in a real dongle whose TCP bridge went away.
   */
  async setOffline(offline: boolean): Promise<void> {
    if (offline === this.#offline || this.#stopped) return;
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
    if (powered && this.#permitOpen()) this.#scheduleJoin(device, this.#options.joinDelayMs ?? 20);
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
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const timer of this.#pollTimers.values()) clearInterval(timer);
    this.#pollTimers.clear();
    if (this.#permitTimer) clearTimeout(this.#permitTimer);
    this.radio.stop();
    this.dropConnections();
    if (this.#server.listening) await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---- transport -------------------------------------------------------------------------------------------

  #accept(socket: Socket): void {
    if (this.#offline || this.#stopped) {
      socket.destroy();
      return;
    }
    // herdsman sets TCP_NODELAY on its side; without it here Nagle + delayed ACK add ~40 ms per SRSP+AREQ pair.
    socket.setNoDelay(true);
    this.#sockets.add(socket);
    const parser = new UnpiParser({
      frame: (frame) => this.#onFrame(frame),
      garbage: (bytes, reason) => {
        this.#log.debug('skipped bytes', { reason, bytes: bytes.length });
        if (reason === 'bad-fcs') this.#emit({ kind: 'malformed', reason: 'bad FCS' });
      },
    });
    socket.on('data', (chunk) => parser.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.#sockets.delete(socket));
    // Joins deferred while no host was attached go ahead now.
    if (this.#permitOpen()) this.#scheduleJoins();
  }

  #send(type: MtType, subsystem: MtSubsystem, command: number, data: Buffer): void {
    if (data.length > 250) {
      this.#log.warn('frame too long, dropped', { subsystem, command });
      return;
    }
    const bytes = encodeFrame({ type, subsystem, command, data });
    for (const socket of this.#sockets) if (!socket.destroyed) socket.write(bytes);
  }

  #areq(subsystem: MtSubsystem, command: number, data: Buffer): void {
    this.#send(MtType.AREQ, subsystem, command, data);
  }

  #emit(event: EmulatorEvent): void {
    this.emit('event', event);
  }

  #later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#stopped) fn();
    }, ms);
    this.#timers.add(timer);
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
    if (this.#stopped) return;
    let handled: Handled;
    try {
      handled = this.#dispatch(frame);
    } catch (error) {
      this.#log.warn('malformed MT frame', { subsystem: frame.subsystem, command: frame.command, error: String(error) });
      this.#emit({ kind: 'malformed', reason: String(error) });
      // MT_RPC_ERR_LENGTH: the RPC error SRSP on RES0 that Z-Stack answers a short frame with.
      if (frame.type === MtType.SREQ) this.#rpcError(frame, 0x04);
      return;
    }
    if (frame.type === MtType.SREQ) {
      if (handled.rsp === undefined) {
        this.#rpcError(frame, 0x02);
        return;
      }
      this.exchanges += 1;
      const key = `${MtSubsystem[frame.subsystem] ?? frame.subsystem}.${frame.command}`;
      this.exchangesByCommand.set(key, (this.exchangesByCommand.get(key) ?? 0) + 1);
      this.#send(MtType.SRSP, frame.subsystem, frame.command, handled.rsp);
    }
    try {
      handled.after?.();
    } catch (error) {
      // What a request causes must never stop the emulator answering the next one.
      this.#log.warn('error after MT request', { subsystem: frame.subsystem, command: frame.command, error: String(error) });
      this.#emit({ kind: 'malformed', reason: String(error) });
    }
  }

  /** RPC_SYS_COMMAND_ERROR: SRSP on subsystem RES0, command 0, [error code, cmd0, cmd1]. */
  #rpcError(frame: MtFrame, code: number): void {
    this.#log.debug('unsupported MT command', { subsystem: frame.subsystem, command: frame.command });
    this.#send(MtType.SRSP, MtSubsystem.RES0, 0x00, Buffer.from([code, (frame.type << 5) | frame.subsystem, frame.command]));
  }

  #dispatch(frame: MtFrame): Handled {
    const r = new Reader(frame.data);
    switch (frame.subsystem) {
      case MtSubsystem.SYS:
        return this.#sys(frame.command, r);
      case MtSubsystem.ZDO:
        return this.#zdo(frame.command, r);
      case MtSubsystem.AF:
        return this.#af(frame.command, r);
      case MtSubsystem.UTIL:
        return this.#util(frame.command, r);
      case MtSubsystem.APP_CNF:
        return this.#appCnf(frame.command, r);
      default:
        return {};
    }
  }

  // ---- SYS ---------------------------------------------------------------------------------------------------

  #sys(command: number, r: Reader): Handled {
    const nv = this.nv;
    switch (command) {
      case SYS.PING:
        return { rsp: u16(0x0659) };
      case SYS.VERSION:
        return {
          rsp: Buffer.concat([Buffer.from([VERSION.transportRev, VERSION.product, VERSION.major, VERSION.minor, VERSION.maint]), u32(VERSION.revision)]),
        };
      case SYS.GET_EXT_ADDR:
        return { rsp: ieeeLe(this.ieee) };
      case SYS.RESET_REQ: {
        r.u8();
        return { after: () => this.#reset() };
      }
      case SYS.OSAL_NV_LENGTH:
        return { rsp: u16(nv.length(r.u16())) };
      case SYS.OSAL_NV_ITEM_INIT: {
        const id = r.u16();
        const length = r.u16();
        const initLength = r.u8();
        const created = nv.init(id, length, r.bytes(Math.min(initLength, r.data.length - 5)));
        return { rsp: u8(created ? Status.NV_ITEM_UNINIT : Status.SUCCESS) };
      }
      case SYS.OSAL_NV_READ:
      case SYS.OSAL_NV_READ_EXT: {
        const id = r.u16();
        const offset = command === SYS.OSAL_NV_READ ? r.u8() : r.u16();
        const item = nv.get(id);
        if (!item || offset > item.length) return { rsp: Buffer.from([Status.INVALID_PARAMETER, 0]) };
        const chunk = item.subarray(offset, offset + 244);
        return { rsp: Buffer.concat([Buffer.from([Status.SUCCESS, chunk.length]), chunk]) };
      }
      case SYS.OSAL_NV_WRITE:
      case SYS.OSAL_NV_WRITE_EXT: {
        const id = r.u16();
        const offset = command === SYS.OSAL_NV_WRITE ? r.u8() : r.u16();
        const length = command === SYS.OSAL_NV_WRITE ? r.u8() : r.u16();
        const ok = nv.write(id, offset, r.bytes(length));
        return { rsp: u8(ok ? Status.SUCCESS : Status.NV_OPER_FAILED) };
      }
      case SYS.OSAL_NV_DELETE: {
        const id = r.u16();
        r.u16();
        return { rsp: u8(nv.delete(id) ? Status.SUCCESS : Status.NV_ITEM_UNINIT) };
      }
      case SYS.NV_LENGTH: {
        const key = NvMemory.extKey(r.u8(), r.u16(), r.u16());
        return { rsp: u8(nv.extended.get(key)?.length ?? 0) };
      }
      case SYS.NV_READ: {
        const key = NvMemory.extKey(r.u8(), r.u16(), r.u16());
        const offset = r.u16();
        const length = r.u8();
        const item = nv.extended.get(key);
        if (!item) return { rsp: Buffer.from([Status.NV_OPER_FAILED, 0]) };
        const chunk = item.subarray(offset, offset + length);
        return { rsp: Buffer.concat([Buffer.from([Status.SUCCESS, chunk.length]), chunk]) };
      }
      case SYS.NV_CREATE: {
        const key = NvMemory.extKey(r.u8(), r.u16(), r.u16());
        const length = r.u32();
        if (length > 0xffff) return { rsp: u8(Status.NV_OPER_FAILED) }; // real NV pages are far smaller
        if (!nv.extended.has(key)) nv.extended.set(key, Buffer.alloc(length));
        return { rsp: u8(Status.SUCCESS) };
      }
      case SYS.NV_WRITE: {
        const key = NvMemory.extKey(r.u8(), r.u16(), r.u16());
        const offset = r.u16();
        const length = r.u8();
        const data = r.bytes(length);
        const item = nv.extended.get(key);
        if (!item || offset + length > item.length) return { rsp: u8(Status.NV_OPER_FAILED) };
        data.copy(item, offset);
        return { rsp: u8(Status.SUCCESS) };
      }
      case SYS.NV_DELETE: {
        const key = NvMemory.extKey(r.u8(), r.u16(), r.u16());
        return { rsp: u8(nv.extended.delete(key) ? Status.SUCCESS : Status.NV_ITEM_UNINIT) };
      }
      case SYS.STACK_TUNE:
      case SYS.SET_TX_POWER:
        return { rsp: u8(r.u8()) };
      default:
        return {};
    }
  }

  /** SYS_RESET_REQ: RAM state is lost; STARTUP_OPTION bit 0/1 clears configuration and network state. */
  #reset(): void {
    const startup = this.nv.get(NV.STARTUP_OPTION)?.[0] ?? 0;
    this.#devState = DEV_STATE_HOLD;
    this.#endpoints.clear();
    this.#groups.clear();
    this.#closePermit();
    if (startup & 0x03) {
      this.nv.resetToFactory();
      this.#tcLinkKeys.clear();
      for (const device of this.devices) this.#forget(device);
    } else {
      this.#syncAssociations();
    }
    this.#areq(MtSubsystem.SYS, SYS.RESET_IND, Buffer.from([0x00, VERSION.transportRev, VERSION.product, VERSION.major, VERSION.minor, 0x00]));
  }

  // ---- UTIL / APP_CNF -----------------------------------------------------------------------------------------

  #util(command: number, r: Reader): Handled {
    switch (command) {
      case UTIL.GET_DEVICE_INFO: {
        const children = this.devices.filter((d) => d.joined);
        return {
          rsp: Buffer.concat([
            u8(Status.SUCCESS),
            ieeeLe(this.ieee),
            u16(0x0000),
            u8(0x07), // device type bitmap: coordinator | router | end device capable
            u8(this.#devState),
            u8(children.length),
            ...children.map((d) => u16(d.nwkAddress)),
          ]),
        };
      }
      case UTIL.LED_CONTROL:
        return { rsp: u8(Status.SUCCESS) };
      case UTIL.ASSOC_GET_WITH_ADDRESS: {
        const ieee = r.ieee();
        const nwk = r.u16();
        const index = this.devices.findIndex((d) => d.joined && (d.eui64 === ieee || d.nwkAddress === nwk));
        const device = this.devices[index];
        return { rsp: Buffer.concat([u16(device ? device.nwkAddress : 0xfffe), u16(index < 0 ? 0xffff : index), u8(device ? 1 : 0xff)]) };
      }
      case UTIL.ASSOC_REMOVE:
      case UTIL.ASSOC_ADD:
        return { rsp: u8(Status.SUCCESS) };
      default:
        return {};
    }
  }

  #appCnf(command: number, r: Reader): Handled {
    switch (command) {
      case APP_CNF.BDB_SET_CHANNEL: {
        const primary = r.u8();
        const mask = r.u32();
        if (primary) this.#primaryChannelMask = mask;
        return { rsp: u8(Status.SUCCESS) };
      }
      case APP_CNF.BDB_START_COMMISSIONING: {
        const mode = r.u8();
        return { rsp: u8(Status.SUCCESS), after: () => (mode & 0x04 ? this.#formNetwork() : undefined) };
      }
      case APP_CNF.BDB_SET_TC_REQUIRE_KEY_EXCHANGE:
        r.u8();
        return { rsp: u8(Status.SUCCESS) };
      case APP_CNF.BDB_ADD_INSTALL_CODE: {
        const format = r.u8();
        const ieee = r.ieee();
        const code = r.rest();
        if (format === 0x01) {
          // Install code with its CRC: the TC checks the CRC and derives the link key (AES-MMO).
          if (![8, 10, 14, 18].includes(code.length) || !crcMatches(code)) return { rsp: u8(Status.INVALID_PARAMETER) };
          this.#tcLinkKeys.set(ieee, aesMmoHash(code).toString('hex').toUpperCase());
        } else if (format === 0x02 && code.length === 16) {
          this.#tcLinkKeys.set(ieee, code.toString('hex').toUpperCase());
        } else {
          return { rsp: u8(Status.INVALID_PARAMETER) };
        }
        this.#log.info('install code added', { ieee });
        return { rsp: u8(Status.SUCCESS) };
      }
      default:
        return {};
    }
  }

  // ---- network formation -----------------------------------------------------------------------------------

  #formNetwork(): void {
    const nv = this.nv;
    const panId = nv.get(NV.PANID)?.readUInt16LE(0) ?? 0x1a62;
    const mask = this.#primaryChannelMask || (nv.get(NV.CHANLIST)?.readUInt32LE(0) ?? 1 << 11);
    let channel = 11;
    while (channel < 26 && !(mask & (1 << channel))) channel++;
    const extPanId = nv.get(NV.EXTENDED_PAN_ID) ?? ieeeLe(this.ieee);
    const key = nv.get(NV.PRECFGKEY) ?? Buffer.alloc(16);
    nv.set(NV.NIB, buildNib({ panId, channel, channelMask: mask, extPanIdRaw: extPanId, coordinatorIeee: this.ieee }));
    const keyInfo = Buffer.concat([u8(0), key]);
    nv.set(NV.NWK_ACTIVE_KEY_INFO, keyInfo);
    nv.set(NV.NWK_ALTERN_KEY_INFO, keyInfo);
    this.#devState = DEV_STATE_COORDINATOR;
    this.#log.info('network formed', { panId, channel });
    this.#areq(MtSubsystem.ZDO, ZDO.STATE_CHANGE_IND, u8(8));
    this.#areq(MtSubsystem.ZDO, ZDO.STATE_CHANGE_IND, u8(DEV_STATE_COORDINATOR));
    this.#areq(MtSubsystem.APP_CNF, APP_CNF.BDB_COMMISSIONING_NOTIFICATION, Buffer.from([0x00, 0x04, 0x00]));
  }

  #nib(): { panId: number; channel: number; extPanIdRaw: Buffer } | undefined {
    const nib = this.nv.get(NV.NIB);
    if (!nib || nib.length < NIB_LENGTH) return undefined;
    return { panId: nib.readUInt16LE(33), channel: nib[22]!, extPanIdRaw: nib.subarray(53, 61) };
  }

  // ---- ZDO ---------------------------------------------------------------------------------------------------

  #zdo(command: number, r: Reader): Handled {
    switch (command) {
      case ZDO.STARTUP_FROM_APP: {
        r.u16();
        const formed = this.#nib() !== undefined;
        return {
          rsp: u8(formed ? 0x00 : 0x01),
          after: () => {
            if (!formed) return;
            this.#devState = DEV_STATE_COORDINATOR;
            this.#areq(MtSubsystem.ZDO, ZDO.STATE_CHANGE_IND, u8(DEV_STATE_COORDINATOR));
          },
        };
      }
      case ZDO.EXT_NWK_INFO: {
        const nib = this.#nib();
        return {
          rsp: Buffer.concat([
            u16(0x0000),
            u8(this.#devState),
            u16(nib?.panId ?? 0xffff),
            u16(0xfffe),
            nib ? Buffer.from(nib.extPanIdRaw) : Buffer.alloc(8),
            Buffer.alloc(8),
            u8(nib?.channel ?? 0),
          ]),
        };
      }
      case ZDO.EXT_FIND_GROUP: {
        const key = `${r.u8()}:${r.u16()}`;
        const found = this.#groups.has(key);
        return { rsp: found ? Buffer.concat([u8(Status.SUCCESS), u16(Number(key.split(':')[1])), u8(0)]) : Buffer.concat([u8(Status.FAILURE), u16(0), u8(0)]) };
      }
      case ZDO.EXT_ADD_GROUP: {
        this.#groups.add(`${r.u8()}:${r.u16()}`);
        return { rsp: u8(Status.SUCCESS) };
      }
      case ZDO.EXT_REMOVE_GROUP: {
        this.#groups.delete(`${r.u8()}:${r.u16()}`);
        return { rsp: u8(Status.SUCCESS) };
      }
      case ZDO.EXT_ROUTE_DISC:
      case ZDO.MSG_CB_REGISTER:
        return { rsp: u8(Status.SUCCESS) };
      case ZDO.NWK_DISCOVERY_REQ:
        return this.#nwkDiscovery(r);
      case ZDO.MGMT_PERMIT_JOIN_REQ: {
        r.u8(); // address mode
        const dst = r.u16();
        const seconds = r.u8();
        return {
          rsp: u8(Status.SUCCESS),
          after: () => {
            this.#areq(MtSubsystem.ZDO, ZDO.MGMT_PERMIT_JOIN_RSP, Buffer.concat([u16(dst === 0xfffc ? 0x0000 : dst), u8(Status.SUCCESS)]));
            this.#areq(MtSubsystem.ZDO, ZDO.PERMIT_JOIN_IND, u8(seconds));
            this.#permitJoin(seconds);
          },
        };
      }
      case ZDO.NWK_ADDR_REQ:
      case ZDO.IEEE_ADDR_REQ: {
        const device = command === ZDO.NWK_ADDR_REQ ? this.device(r.ieee()) : this.devices.find((d) => d.nwkAddress === r.u16());
        return {
          rsp: u8(Status.SUCCESS),
          after: () => {
            if (!device?.joined || !this.#reachable(device)) return;
            this.#viaAir(device, 'address request', () =>
              this.#areq(
                MtSubsystem.ZDO,
                command === ZDO.NWK_ADDR_REQ ? ZDO.NWK_ADDR_RSP : ZDO.IEEE_ADDR_RSP,
                Buffer.concat([u8(0), ieeeLe(device.eui64), u16(device.nwkAddress), u8(0), u8(0)]),
              ),
            );
          },
        };
      }
      default:
        return this.#zdoAddressed(command, r);
    }
  }

  /** ZDO requests addressed to a node (coordinator or device): SRSP now, the node's response AREQ after. */
  #zdoAddressed(command: number, r: Reader): Handled {
    const dst = r.u16();
    const respond = (rspCommand: number, body: Buffer, src: number): void => this.#areq(MtSubsystem.ZDO, rspCommand, Buffer.concat([u16(src), body]));
    const toNode = (what: string, run: (device: VirtualSeDevice | undefined) => void): Handled => {
      if (dst === 0x0000) return { rsp: u8(Status.SUCCESS), after: () => run(undefined) };
      const device = this.devices.find((d) => d.joined && d.nwkAddress === dst);
      return { rsp: u8(Status.SUCCESS), after: () => (device && this.#reachable(device) ? this.#viaAir(device, what, () => run(device)) : undefined) };
    };
    switch (command) {
      case ZDO.NODE_DESC_REQ: {
        const nwk = r.u16();
        return toNode('node descriptor', (device) => {
          if (device && device.spec.answersNodeDescriptor === false) return;
          respond(ZDO.NODE_DESC_RSP, Buffer.concat([u8(0), u16(nwk), nodeDescriptor(device)]), dst);
        });
      }
      case ZDO.ACTIVE_EP_REQ: {
        const nwk = r.u16();
        return toNode('active endpoints', (device) => {
          const eps = device ? [device.endpoint] : [...this.#endpoints.keys()];
          respond(ZDO.ACTIVE_EP_RSP, Buffer.concat([u8(0), u16(nwk), u8(eps.length), Buffer.from(eps)]), dst);
        });
      }
      case ZDO.SIMPLE_DESC_REQ: {
        const nwk = r.u16();
        const ep = r.u8();
        return toNode('simple descriptor', (device) => {
          const desc: RegisteredEndpoint | undefined = device
            ? ep === device.endpoint
              ? { profile: SE_PROFILE, deviceId: device.deviceId, inClusters: device.inClusters, outClusters: device.outClusters }
              : undefined
            : this.#endpoints.get(ep);
          if (!desc) {
            respond(ZDO.SIMPLE_DESC_RSP, Buffer.concat([u8(0x82), u16(nwk), u8(0)]), dst); // INVALID_EP
            return;
          }
          const body = Buffer.concat([
            u8(ep),
            u16(desc.profile),
            u16(desc.deviceId),
            u8(1),
            u8(desc.inClusters.length),
            ...desc.inClusters.map(u16),
            u8(desc.outClusters.length),
            ...desc.outClusters.map(u16),
          ]);
          respond(ZDO.SIMPLE_DESC_RSP, Buffer.concat([u8(0), u16(nwk), u8(body.length), body]), dst);
        });
      }
      case ZDO.BIND_REQ:
      case ZDO.UNBIND_REQ: {
        const srcIeee = r.ieee();
        const srcEndpoint = r.u8();
        const clusterId = r.u16();
        const mode = r.u8();
        const dstIeee = mode === 0x03 ? r.ieee() : (r.u16(), '');
        const dstEndpoint = mode === 0x03 ? r.u8() : 0;
        const rspCommand = command === ZDO.BIND_REQ ? ZDO.BIND_RSP : ZDO.UNBIND_RSP;
        return toNode(command === ZDO.BIND_REQ ? 'bind' : 'unbind', (device) => {
          if (!device || device.eui64 !== srcIeee || mode !== 0x03) {
            respond(rspCommand, u8(0x84), dst); // NOT_SUPPORTED (coordinator tables and group bindings are out of scope)
            return;
          }
          const index = device.bindings.findIndex(
            (b) => b.srcEndpoint === srcEndpoint && b.clusterId === clusterId && b.dstIeee === dstIeee && b.dstEndpoint === dstEndpoint,
          );
          if (command === ZDO.BIND_REQ) {
            if (index < 0) device.bindings.push({ srcEndpoint, clusterId, dstIeee, dstEndpoint });
            respond(rspCommand, u8(0), dst);
            this.#scheduleReports(device, 20);
          } else {
            if (index >= 0) device.bindings.splice(index, 1);
            respond(rspCommand, u8(index >= 0 ? 0 : 0x88), dst); // NO_ENTRY
          }
        });
      }
      case ZDO.MGMT_BIND_REQ: {
        const start = r.u8();
        return toNode('binding table', (device) => {
          const table = device?.bindings ?? [];
          const page = table.slice(start, start + 3);
          const entries = page.map((b) =>
            Buffer.concat([ieeeLe(device!.eui64), u8(b.srcEndpoint), u16(b.clusterId), u8(0x03), ieeeLe(b.dstIeee), u8(b.dstEndpoint)]),
          );
          respond(ZDO.MGMT_BIND_RSP, Buffer.concat([u8(0), u8(table.length), u8(start), u8(page.length), ...entries]), dst);
        });
      }
      case ZDO.MGMT_LQI_REQ: {
        const start = r.u8();
        return toNode('neighbour table', (device) => {
          const neighbours = neighbourTable(this.#topology(), device);
          if (!neighbours) {
            respond(ZDO.MGMT_LQI_RSP, Buffer.from([0x84, 0, start, 0]), dst); // NOT_SUPPORTED: an end device keeps no table
            return;
          }
          const page = neighbours.slice(start, start + 3); // ZDO_MAX_LQI_ITEMS
          const extPan = this.#nib()?.extPanIdRaw ?? Buffer.alloc(8);
          const entries = page.map((n) =>
            Buffer.concat([
              Buffer.from(extPan),
              ieeeLe(n.eui64),
              u16(n.nwk),
              u8(n.deviceType | ((n.rxOnWhenIdle ? 1 : 0) << 2) | (n.relationship << 4)),
              u8(0x02), // permit joining: unknown
              u8(n.depth),
              u8(n.lqi),
            ]),
          );
          respond(ZDO.MGMT_LQI_RSP, Buffer.concat([u8(0), u8(neighbours.length), u8(start), u8(page.length), ...entries]), dst);
        });
      }
      case ZDO.MGMT_RTG_REQ: {
        const start = r.u8();
        return toNode('routing table', (device) => {
          const routes = routingTable(this.#topology(), device);
          if (!routes) {
            respond(ZDO.MGMT_RTG_RSP, Buffer.from([0x84, 0, start, 0]), dst);
            return;
          }
          const page = routes.slice(start, start + 10); // ZDO_MAX_RTG_ITEMS
          respond(
            ZDO.MGMT_RTG_RSP,
            Buffer.concat([
              u8(0),
              u8(routes.length),
              u8(start),
              u8(page.length),
              ...page.map((e) => Buffer.concat([u16(e.dst), u8(e.status), u16(e.nextHop)])),
            ]),
            dst,
          );
        });
      }
      case ZDO.MGMT_NWK_UPDATE_REQ:
        return this.#nwkUpdate(dst, r);
      case ZDO.MGMT_LEAVE_REQ: {
        const ieee = r.ieee();
        const flags = r.u8();
        return toNode('leave', (device) => {
          const target = device && device.eui64 === ieee ? device : undefined;
          respond(ZDO.MGMT_LEAVE_RSP, u8(target ? 0 : 0x84), dst);
          if (!target) return;
          this.#forget(target);
          target.leftOnRequest = true;
          this.#areq(MtSubsystem.ZDO, ZDO.LEAVE_IND, Buffer.concat([u16(dst), ieeeLe(ieee), u8(0), u8(0), u8(flags & 0x80 ? 1 : 0)]));
          this.#emit({ kind: 'left', eui64: ieee });
        });
      }
      default:
        return {};
    }
  }

  #topology(): TopologyView {
    return {
      coordinatorIeee: this.ieee,
      onAir: this.devices.filter((d) => d.joined && this.#reachable(d)),
      linkLqi: (eui64) => this.radio.linkLqi(eui64),
    };
  }

  #ownNetwork(): OwnNetwork | undefined {
    const nib = this.#nib();
    if (!nib || this.#devState !== DEV_STATE_COORDINATOR) return undefined;
    const routers = this.devices.filter((d) => d.joined && !d.spec.sleepy && d.parentNwk === 0 && this.#reachable(d));
    return {
      channel: nib.channel,
      panId: nib.panId,
      extendedPanId: Buffer.from(nib.extPanIdRaw).reverse().toString('hex').toUpperCase(),
      permitJoin: this.#permitOpen(),
      updateId: this.#nwkUpdateId,
      routers: routers.map((d) => ({ nwkAddress: d.nwkAddress, lqi: this.radio.linkLqi(d.eui64), depth: 1 })),
    };
  }

  /**
   * Mgmt_NWK_Update_req (MT_ZdoMgmtNwkUpdateRequest): dst, dst address mode, channel mask, scan duration, then scan
   * count and network manager address. Durations 0–5 ask for an energy scan answered by Mgmt_NWK_Update_notify;
   * 0xFE changes channel; 0xFF updates the channel mask and network manager. Broadcasts reach the coordinator too.
   */
  #nwkUpdate(dst: number, r: Reader): Handled {
    const mode = r.u8();
    const mask = r.u32();
    const duration = r.u8();
    const scanCount = r.rest()[0] ?? 1; // then the network manager address, unused by the emulator
    if (this.#devState !== DEV_STATE_COORDINATOR) return { rsp: u8(0xc2) }; // ZNwkInvalidRequest: no network to send on
    const toSelf = dst === 0x0000 || mode === 0x0f || dst >= 0xfffc;
    if (duration === 0xfe) return { rsp: u8(Status.SUCCESS), after: () => this.#changeChannel(mask) };
    if (duration > 5) return { rsp: u8(Status.SUCCESS) };
    const target = toSelf ? undefined : this.devices.find((d) => d.joined && d.nwkAddress === dst);
    const channels = Array.from({ length: 16 }, (_, i) => 11 + i).filter((c) => mask & (1 << c));
    const scan = (): void => {
      const own = this.#ownNetwork();
      let energies: number[] = [];
      for (let i = 0; i < Math.max(1, Math.min(scanCount, 5)); i++) energies = channels.map((c) => this.radio.energy(c, own));
      const body = Buffer.concat([u8(Status.SUCCESS), u32(mask), u16(0), u16(0), u8(energies.length), Buffer.from(energies)]);
      this.#areq(MtSubsystem.ZDO, ZDO.MGMT_NWK_UPDATE_NOTIFY, Buffer.concat([u16(target ? target.nwkAddress : 0x0000), body]));
    };
    const scanMs = channels.length * Math.max(1, Math.min(scanCount, 5)) * scanMsPerChannel(duration);
    return {
      rsp: u8(Status.SUCCESS),
      after: () => {
        if (!toSelf && (!target || !this.#reachable(target))) return;
        this.#later(scanMs, () => (target ? this.#viaAir(target, 'energy scan', scan) : scan()));
      },
    };
  }

  #changeChannel(mask: number): void {
    const nib = this.nv.get(NV.NIB);
    let channel = 11;
    while (channel < 26 && !(mask & (1 << channel))) channel++;
    if (!nib || !(mask & (1 << channel))) return;
    nib[22] = channel;
    this.#nwkUpdateId = (this.#nwkUpdateId + 1) & 0xff;
    this.#log.info('network channel changed', { channel });
  }

  /**
   * ZDO_NWK_DISCOVERY_REQ (MT_ZdoNetworkDiscoveryReq): scan channels, scan duration. An active scan of each channel
   * for (2^duration + 1) superframes; the beacons heard are packed 21 bytes each into ZDO_BEACON_NOTIFY_IND (at
   * most 11 to a frame), then ZDO_NWK_DISCOVERY_CNF carries the status.
   */
  #nwkDiscovery(r: Reader): Handled {
    const mask = r.u32();
    const duration = r.u8();
    const channels = Array.from({ length: 16 }, (_, i) => 11 + i).filter((c) => mask & (1 << c));
    return {
      rsp: u8(Status.SUCCESS),
      after: () =>
        this.#later(channels.length * scanMsPerChannel(duration), () => {
          const beacons = this.radio.beacons(mask, this.#ownNetwork()).map(encodeBeacon);
          for (let i = 0; i < beacons.length; i += 11) {
            const batch = beacons.slice(i, i + 11);
            this.#areq(MtSubsystem.ZDO, ZDO.BEACON_NOTIFY_IND, Buffer.concat([u8(batch.length), ...batch]));
          }
          this.#areq(MtSubsystem.ZDO, ZDO.NWK_DISCOVERY_CNF, u8(Status.SUCCESS));
        }),
    };
  }

  // ---- over the air ------------------------------------------------------------------------------------------

  /**
   * Delivers something to a device over the air: at once for routers; for a sleepy end device it waits in the
   * parent's indirect queue until the device polls, and expires after the MAC transaction persistence time.
   */
  #viaAir(device: VirtualSeDevice, what: string, deliver: () => void, expire?: () => void): void {
    const run = (): void => {
      this.#emit({ kind: 'delivered', eui64: device.eui64, what, atMs: this.#now() });
      deliver();
    };
    if (!device.spec.sleepy) {
      run();
      return;
    }
    const queue = this.#indirect.get(device.eui64) ?? [];
    queue.push({ enqueuedAt: this.#now(), deliver: run, ...(expire ? { expire } : {}) });
    this.#indirect.set(device.eui64, queue);
  }

  #startPolling(device: VirtualSeDevice): void {
    if (!device.spec.sleepy || this.#pollTimers.has(device.eui64)) return;
    const timer = setInterval(() => this.#poll(device), this.sleepyPollMs);
    this.#pollTimers.set(device.eui64, timer);
  }

  #poll(device: VirtualSeDevice): void {
    if (!device.joined || !this.#reachable(device)) return;
    this.#emit({ kind: 'poll', eui64: device.eui64, atMs: this.#now() });
    const queue = this.#indirect.get(device.eui64) ?? [];
    this.#indirect.delete(device.eui64);
    const now = this.#now();
    for (const item of queue) {
      if (now - item.enqueuedAt > MAC_TRANSACTION_PERSISTENCE_MS) item.expire?.();
      else item.deliver();
    }
  }

  #af(command: number, r: Reader): Handled {
    switch (command) {
      case AF.REGISTER: {
        const ep = r.u8();
        const profile = r.u16();
        const deviceId = r.u16();
        r.u8();
        r.u8();
        const inClusters = Array.from({ length: r.u8() }, () => r.u16());
        const outClusters = Array.from({ length: r.u8() }, () => r.u16());
        if (this.#endpoints.has(ep)) return { rsp: u8(0xb8) }; // AF duplicate endpoint
        this.#endpoints.set(ep, { profile, deviceId, inClusters, outClusters });
        return { rsp: u8(Status.SUCCESS) };
      }
      case AF.DATA_REQUEST: {
        const dst = r.u16();
        const dstEp = r.u8();
        const srcEp = r.u8();
        const clusterId = r.u16();
        const transId = r.u8();
        r.u8();
        r.u8();
        const data = Buffer.from(r.bytes(r.u8()));
        return { rsp: u8(Status.SUCCESS), after: () => this.#dataRequest(dst, dstEp, srcEp, clusterId, transId, data) };
      }
      case AF.DATA_REQUEST_EXT: {
        r.u8();
        r.bytes(8);
        r.u8();
        r.u16();
        const srcEp = r.u8();
        r.u16();
        const transId = r.u8();
        // Broadcasts and groups (herdsman's Green Power permit) reach no virtual device; confirm them.
        return { rsp: u8(Status.SUCCESS), after: () => this.#areq(MtSubsystem.AF, AF.DATA_CONFIRM, Buffer.from([0, srcEp, transId])) };
      }
      case AF.DATA_REQUEST_SRC_RTG:
        return { rsp: u8(Status.SUCCESS) };
      default:
        return {};
    }
  }

  #dataRequest(dst: number, dstEp: number, srcEp: number, clusterId: number, transId: number, data: Buffer): void {
    const confirm = (status: number): void => this.#areq(MtSubsystem.AF, AF.DATA_CONFIRM, Buffer.from([status, srcEp, transId]));
    const device = this.devices.find((d) => d.joined && d.nwkAddress === dst);
    if (!device || !this.#reachable(device)) {
      confirm(device ? 0xe9 : Status.NWK_NO_ROUTE); // MAC_NO_ACK: the device (or its parent) is off or out of range
      return;
    }
    this.#viaAir(
      device,
      `zcl 0x${clusterId.toString(16).padStart(4, '0')}`,
      () => {
        confirm(Status.SUCCESS);
        const profile = this.#endpoints.get(srcEp)?.profile ?? 0x0104;
        const reply = this.#deviceZcl(device, dstEp, clusterId, profile, data);
        if (reply) this.#incoming(device, clusterId, srcEp, reply);
      },
      () => confirm(0xf0), // MAC_TRANSACTION_EXPIRED
    );
  }

  #incoming(device: VirtualSeDevice, clusterId: number, dstEp: number, data: Buffer): void {
    // The coordinator hears the last hop: the device itself, or the router it sits behind.
    const lastHop = this.#parentOf(device) ?? device;
    this.#areq(
      MtSubsystem.AF,
      AF.INCOMING_MSG,
      Buffer.concat([
        u16(0),
        u16(clusterId),
        u16(device.nwkAddress),
        u8(device.endpoint),
        u8(dstEp),
        u8(0),
        u8(this.radio.linkLqi(lastHop.eui64)),
        u8(0),
        u32(this.#now() & 0xffffffff),
        u8(0),
        u8(data.length),
        data,
        u16(lastHop.nwkAddress), // MacSrcAddr (MT_AfIncomingMsg appends it, then the radius)
        u8(lastHop === device ? 30 : 29), // radius left: AF_DEFAULT_RADIUS (2 × nwkMaxDepth) less one per relay
      ]),
    );
  }

  /**
   * The device's ZCL behaviour. SE endpoints answer only frames sent with the SE profile (0x0109), as real meters
   * do; the Basic cluster is answered on any profile so that herdsman's interview (which always reads genBasic with
   * the HA profile and waits 10 s before retrying a failed modelId/manufacturerName read) completes.
   */
  #deviceZcl(device: VirtualSeDevice, ep: number, clusterId: number, profile: number, data: Buffer): Buffer | undefined {
    let frame: ZclFrame;
    try {
      frame = decodeZclFrame(data);
    } catch {
      this.#emit({ kind: 'malformed', reason: 'ZCL frame too short' });
      return undefined;
    }
    const h = frame.header;
    const reply = (commandId: number, payload: Buffer): Buffer =>
      encodeZclFrame(
        {
          frameType: 0,
          direction: 1,
          disableDefaultResponse: true,
          tsn: h.tsn,
          commandId,
          ...(h.manufacturerCode !== undefined ? { manufacturerCode: h.manufacturerCode } : {}),
        },
        payload,
      );
    const defaultRsp = (status: number): Buffer | undefined =>
      h.disableDefaultResponse && status === ZclStatus.SUCCESS ? undefined : reply(ZclCommand.DEFAULT_RSP, encodeDefaultResponse(h.commandId, status));
    if (h.direction === 1) return undefined; // responses and reports from the host side: nothing to answer
    const attributes = device.clusters.get(clusterId);
    const profileOk = profile === SE_PROFILE || clusterId === CLUSTER.BASIC;
    if (ep !== device.endpoint || !attributes || !profileOk) return defaultRsp(ZclStatus.UNSUPPORTED_CLUSTER);
    if (h.frameType === 1) return defaultRsp(ZclStatus.UNSUP_CLUSTER_COMMAND);
    try {
      switch (h.commandId) {
        case ZclCommand.READ: {
          const records = decodeReadRequest(frame.payload).map((attrId) => {
            const attribute = attributes.get(attrId);
            return attribute
              ? { attrId, status: ZclStatus.SUCCESS, type: attribute.type, value: attribute.read() }
              : { attrId, status: ZclStatus.UNSUPPORTED_ATTRIBUTE };
          });
          return reply(ZclCommand.READ_RSP, encodeReadResponse(records));
        }
        case ZclCommand.WRITE: {
          // Every attribute of the virtual devices is read-only; the response lists the first failing record.
          if (frame.payload.length < 3) return defaultRsp(ZclStatus.MALFORMED_COMMAND);
          const id = frame.payload.readUInt16LE(0);
          return reply(ZclCommand.WRITE_RSP, Buffer.from([attributes.has(id) ? ZclStatus.READ_ONLY : ZclStatus.UNSUPPORTED_ATTRIBUTE, id & 0xff, id >> 8]));
        }
        case ZclCommand.CONFIGURE_REPORTING: {
          const failures: Buffer[] = [];
          for (const record of decodeConfigureReporting(frame.payload)) {
            const attribute = attributes.get(record.attrId);
            if (record.direction !== 0) continue;
            if (!attribute) {
              failures.push(Buffer.from([ZclStatus.UNSUPPORTED_ATTRIBUTE, 0, record.attrId & 0xff, record.attrId >> 8]));
              continue;
            }
            const key = `${clusterId}:${record.attrId}`;
            if (record.maxInterval === 0xffff) device.reporting.delete(key);
            else
              device.reporting.set(key, {
                clusterId,
                attrId: record.attrId,
                type: attribute.type,
                minInterval: record.minInterval ?? 0,
                maxInterval: record.maxInterval ?? 0,
              });
          }
          this.#scheduleReports(device, 20);
          return reply(ZclCommand.CONFIGURE_REPORTING_RSP, failures.length ? Buffer.concat(failures) : u8(ZclStatus.SUCCESS));
        }
        case ZclCommand.DEFAULT_RSP:
        case ZclCommand.REPORT:
          return undefined;
        default:
          return defaultRsp(ZclStatus.UNSUP_GENERAL_COMMAND);
      }
    } catch {
      this.#emit({ kind: 'malformed', reason: 'ZCL payload malformed' });
      return defaultRsp(ZclStatus.MALFORMED_COMMAND);
    }
  }

  /** Sends the device's configured reports to each binding of the cluster, now (after `delayMs`) and every max interval. */
  #scheduleReports(device: VirtualSeDevice, delayMs: number): void {
    this.#later(delayMs, () => {
      if (!device.joined || !this.#reachable(device)) return;
      const byCluster = new Map<number, { attrId: number; type: number; maxInterval: number }[]>();
      for (const entry of device.reporting.values()) {
        const list = byCluster.get(entry.clusterId) ?? [];
        list.push(entry);
        byCluster.set(entry.clusterId, list);
      }
      for (const [clusterId, entries] of byCluster) {
        const attributes = device.clusters.get(clusterId)!;
        const records = entries.map((e) => ({ attrId: e.attrId, type: e.type, value: attributes.get(e.attrId)!.read() }));
        for (const binding of device.bindings.filter((b) => b.clusterId === clusterId)) {
          this.#emit({ kind: 'report', from: device.eui64, to: binding.dstIeee, clusterId });
          if (binding.dstIeee === this.ieee) {
            const payload = encodeZclFrame(
              { frameType: 0, direction: 1, disableDefaultResponse: true, tsn: this.#deviceTsn++ & 0xff, commandId: ZclCommand.REPORT },
              encodeReport(records),
            );
            this.#incoming(device, clusterId, binding.dstEndpoint, payload);
          } else {
            const target = this.device(binding.dstIeee);
            if (target?.joined && target.powered) target.recordReport(device.eui64, records);
          }
        }
      }
    });
  }

  // ---- joining -----------------------------------------------------------------------------------------------

  #permitOpen(): boolean {
    return this.#permitUntil > this.#now();
  }

  #permitJoin(seconds: number): void {
    this.#emit({ kind: 'permit-join', seconds });
    if (seconds === 0) {
      this.#closePermit();
      return;
    }
    if (this.#permitTimer) clearTimeout(this.#permitTimer);
    this.#permitUntil = this.#now() + seconds * 1000;
    this.#permitTimer = setTimeout(() => this.#closePermit(), seconds * 1000);
    this.#permitTimer.unref();
    for (const device of this.devices) device.leftOnRequest = false;
    this.#scheduleJoins();
  }

  #closePermit(): void {
    this.#permitUntil = 0;
    if (this.#permitTimer) clearTimeout(this.#permitTimer);
    this.#permitTimer = undefined;
  }

  #scheduleJoins(): void {
    const step = this.#options.joinDelayMs ?? 20;
    this.devices.filter((d) => !d.joined && d.powered).forEach((device, i) => this.#scheduleJoin(device, step * (i + 1)));
  }

  #scheduleJoin(device: VirtualSeDevice, delayMs: number): void {
    this.#later(delayMs, () => this.#attemptJoin(device));
  }

  /** The trust centre's decision: only a device whose install-code key was added gets the network key. */
  #attemptJoin(device: VirtualSeDevice): void {
    if (device.joined || !device.powered || device.leftOnRequest || !this.#permitOpen() || this.#devState !== DEV_STATE_COORDINATOR) return;
    if (!this.connected) return; // re-scheduled when a host attaches, so no indication is lost
    const expected = this.#tcLinkKeys.get(device.eui64);
    const deviceKey = aesMmoHash(Buffer.from(device.spec.installCode + device.spec.installCodeCrc, 'hex'))
      .toString('hex')
      .toUpperCase();
    if (expected !== deviceKey) {
      const reason = expected === undefined ? 'no-install-code' : 'install-code-mismatch';
      this.#log.info('join refused by trust centre', { eui64: device.eui64, reason });
      this.#emit({ kind: 'join-refused', eui64: device.eui64, reason });
      this.#scheduleJoin(device, this.#options.joinRetryMs ?? 2000);
      return;
    }
    if (device.nwkAddress === 0) {
      device.nwkAddress = this.#nextNwk;
      this.#nextNwk = (this.#nextNwk + 0x1b3) & 0xfff7 || 0x1001;
    }
    device.joined = true;
    device.parentNwk = this.#chooseParent(device);
    this.nv.setAssociation(device.eui64, device.nwkAddress);
    this.#startPolling(device);
    this.#log.info('device joined', { eui64: device.eui64, nwk: device.nwkAddress, parent: device.parentNwk });
    this.#emit({ kind: 'joined', eui64: device.eui64, nwkAddress: device.nwkAddress });
    this.#announce(device);
  }

  /** ZDO_TC_DEV_IND (nwk, ieee, parent) then the device's announce, as the trust centre reports a (re)join. */
  #announce(device: VirtualSeDevice): void {
    this.#areq(MtSubsystem.ZDO, ZDO.TC_DEVICE_IND, Buffer.concat([u16(device.nwkAddress), ieeeLe(device.eui64), u16(device.parentNwk)]));
    this.#areq(
      MtSubsystem.ZDO,
      ZDO.END_DEVICE_ANNCE_IND,
      Buffer.concat([u16(device.nwkAddress), u16(device.nwkAddress), ieeeLe(device.eui64), u8(device.capabilities)]),
    );
  }

  /** An end device whose RF placement puts it behind a router joins through that router when it is on the air. */
  #chooseParent(device: VirtualSeDevice): number {
    const wanted = device.spec.parentEui64 ? this.device(device.spec.parentEui64) : undefined;
    return wanted && wanted.joined && !wanted.spec.sleepy && wanted.parentNwk === 0 && this.#reachable(wanted) ? wanted.nwkAddress : 0x0000;
  }

  #parentOf(device: VirtualSeDevice): VirtualSeDevice | undefined {
    return device.parentNwk === 0 ? undefined : this.devices.find((d) => d.joined && d.nwkAddress === device.parentNwk);
  }

  /** On the air: powered, not dropped by an impairment, and (for a child of a router) its parent too. */
  #reachable(device: VirtualSeDevice): boolean {
    if (!device.powered || this.radio.isDropped(device.eui64)) return false;
    const parent = this.#parentOf(device);
    return parent === undefined || (parent.powered && !this.radio.isDropped(parent.eui64));
  }

  /** A dropped device comes back: a secured rejoin through its parent, reported by the trust centre like a join. */
  #rejoin(eui64: string): void {
    const device = this.device(eui64);
    if (!device?.joined || !device.powered) return;
    this.#emit({ kind: 'rejoined', eui64: device.eui64, nwkAddress: device.nwkAddress });
    this.#announce(device);
  }

  /**
   * Devices in the NV address manager are on this network (e.g. after a backup was restored onto this dongle):
   * they stay joined without a new join, as real devices keep working when their coordinator is replaced.
   */
  #syncAssociations(): void {
    for (const association of this.nv.associations()) {
      const device = this.device(association.eui64);
      if (!device || device.joined) continue;
      device.joined = true;
      device.nwkAddress = association.nwkAddress;
      this.#startPolling(device);
    }
    for (const device of this.devices.filter((d) => d.joined && d.parentNwk === 0 && d.spec.parentEui64)) {
      device.parentNwk = this.#chooseParent(device);
    }
  }

  #forget(device: VirtualSeDevice): void {
    if (device.joined) this.nv.setAssociation(device.eui64, undefined);
    device.joined = false;
    device.bindings.length = 0;
    device.reporting.clear();
    this.#indirect.delete(device.eui64);
    const timer = this.#pollTimers.get(device.eui64);
    if (timer) clearInterval(timer);
    this.#pollTimers.delete(device.eui64);
  }
}

function crcMatches(codeWithCrc: Buffer): boolean {
  let crc = 0xffff;
  for (const byte of codeWithCrc.subarray(0, -2)) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  crc = ~crc & 0xffff;
  return codeWithCrc[codeWithCrc.length - 2] === (crc & 0xff) && codeWithCrc[codeWithCrc.length - 1] === crc >>> 8;
}

/** Node descriptor (13 bytes): coordinator, router or end device on 2.4 GHz, stack compliance revision 22. */
function nodeDescriptor(device: VirtualSeDevice | undefined): Buffer {
  const logical = device ? device.logicalType : 0;
  return Buffer.concat([
    u8(logical), // logical type, no complex/user descriptor
    u8(0x40), // APS flags 0, frequency band bit 3 = 2.4 GHz
    u8(device ? device.capabilities : 0x8f), // MAC capability flags
    u16(device ? 0x1234 : 0x0000), // manufacturer code
    u8(80), // max buffer size
    u16(160), // max incoming transfer size
    u16(device ? 0x2c00 : 0x2c41), // server mask: stack compliance revision 22 (+ primary trust centre for the coordinator)
    u16(160), // max outgoing transfer size
    u8(0x00), // descriptor capability
  ]);
}

/** The 110-byte unaligned Z-Stack 3.x NIB, with the fields herdsman reads set from the formed network. */
export function buildNib(input: { panId: number; channel: number; channelMask: number; extPanIdRaw: Buffer; coordinatorIeee: string }): Buffer {
  const nib = Buffer.alloc(NIB_LENGTH);
  nib[1] = 5; // PassiveAckTimeout
  nib[2] = 2; // MaxBroadcastRetries
  nib[3] = 20; // MaxChildren
  nib[4] = 15; // MaxDepth
  nib[5] = 20; // MaxRouters
  nib[7] = 30; // BroadcastDeliveryTime
  nib[9] = 2; // RouteDiscRetries
  nib[11] = 1; // SecureAllFrames
  nib[12] = 5; // SecurityLevel
  nib[14] = 0x8f; // CapabilityFlags
  nib.writeUInt16LE(7, 15); // TransactionPersistenceTime
  nib[17] = 2; // nwkProtocolVersion
  nib[18] = 30; // RouteDiscoveryTime
  nib[19] = 60; // RouteExpiryTime
  nib.writeUInt16LE(0x0000, 20); // nwkDevAddress
  nib[22] = input.channel; // nwkLogicalChannel
  nib.writeUInt16LE(0x0000, 23); // nwkCoordAddress
  ieeeLe(input.coordinatorIeee).copy(nib, 25); // nwkCoordExtAddress (reversed on the wire)
  nib.writeUInt16LE(input.panId, 33); // nwkPanId
  nib[35] = 1; // nwkState
  nib.writeUInt32LE(input.channelMask >>> 0, 36); // channelList
  nib[40] = 15; // beaconOrder
  nib[41] = 15; // superFrameOrder
  nib[42] = 4; // scanDuration
  nib.writeUInt32LE(1, 44); // allocatedRouterAddresses
  nib.writeUInt32LE(1, 48); // allocatedEndDeviceAddresses
  input.extPanIdRaw.copy(nib, 53, 0, 8); // extendedPANID as stored in NV (byte-reversed)
  nib[61] = 1; // nwkKeyLoaded
  nib[98] = 15; // nwkLinkStatusPeriod
  nib[99] = 3; // nwkRouterAgeLimit
  nib[101] = 1; // nwkIsConcentrator
  nib[102] = 100; // nwkConcentratorDiscoveryTime
  nib[103] = 10; // nwkConcentratorRadius
  nib[104] = 1; // nwkAllFresh
  return nib;
}
