import { randomBytes } from 'node:crypto';
import { ieeeLe, Status, u16, u32, u8, type Reader } from './mt-codec';
import type { MtCommandTable, MtContext, MtHandler } from './mt-context';
import { NV, NvMemory } from './nv-memory';
import { MtSubsystem } from './unpi';

/**
 * SYS (MT_SYS.c): reset, ping, version, extended address and NV memory — the legacy OSAL items (16-bit ids) and
 * Z-Stack 3.x.0's extended items (system id, item id, sub id).
 */

/** Z-Stack 3.x.0 (product 1) with a 2023 firmware revision: transport rev 2, version 2.7.1. */
export const VERSION = { transportRev: 2, product: 1, major: 2, minor: 7, maint: 1, revision: 20230507 } as const;

/** MT_SYS_PING capabilities: SYS, MAC, NWK, AF, ZDO, SAPI, UTIL, DEBUG, APP, ZOAD, APP_CNF (0x0659 as TI's ZNP). */
const CAPABILITIES = 0x0659;
/** SYS_OSAL_NV_READ answers at most this much of an item per request (the rest by offset). */
const NV_READ_CHUNK = 244;

const extKey = (r: Reader): string => NvMemory.extKey(r.u8(), r.u16(), r.u16());

const osalNvRead =
  (extended: boolean): MtHandler =>
  (ctx, r) => {
    const id = r.u16();
    const offset = extended ? r.u16() : r.u8();
    const item = ctx.state.nv.get(id);
    if (!item || offset > item.length) return { rsp: Buffer.from([Status.INVALID_PARAMETER, 0]) };
    const chunk = item.subarray(offset, offset + NV_READ_CHUNK);
    return { rsp: Buffer.concat([Buffer.from([Status.SUCCESS, chunk.length]), chunk]) };
  };

const osalNvWrite =
  (extended: boolean): MtHandler =>
  (ctx, r) => {
    const id = r.u16();
    const offset = extended ? r.u16() : r.u8();
    const length = extended ? r.u16() : r.u8();
    const ok = ctx.state.nv.write(id, offset, r.bytes(length));
    return { rsp: u8(ok ? Status.SUCCESS : Status.NV_OPER_FAILED) };
  };

/** SYS_RESET_REQ (an AREQ: no SRSP): RAM state is lost; STARTUP_OPTION bits 0/1 clear configuration and network. */
function reset(ctx: MtContext): void {
  const { state, network } = ctx;
  const startup = state.nv.get(NV.STARTUP_OPTION)?.[0] ?? 0;
  state.clearRam();
  network.closePermit();
  if (startup & 0x03) {
    state.nv.resetToFactory(state.factoryIeee, randomBytes(32));
    state.tcLinkKeys.clear();
    for (const device of network.devices) network.forget(device);
  } else {
    network.syncAssociations();
  }
  // SYS_RESET_IND: reason (0 = power-up), transport rev, product, major, minor, hardware rev.
  ctx.host.areq(MtSubsystem.SYS, 0x80, Buffer.from([0x00, VERSION.transportRev, VERSION.product, VERSION.major, VERSION.minor, 0x00]));
}

export const SYS_COMMANDS: MtCommandTable = new Map<number, MtHandler>([
  [0x00, (ctx, r) => (r.u8(), { after: () => reset(ctx) })], // RESET_REQ: type (0 hard, 1 soft)
  [0x01, () => ({ rsp: u16(CAPABILITIES) })], // PING
  [
    0x02, // VERSION
    () => ({ rsp: Buffer.concat([Buffer.from([VERSION.transportRev, VERSION.product, VERSION.major, VERSION.minor, VERSION.maint]), u32(VERSION.revision)]) }),
  ],
  [0x03, (ctx, r) => (ctx.state.nv.set(NV.EXTADDR, r.bytes(8)), { rsp: u8(Status.SUCCESS) })], // SET_EXTADDR
  [0x04, (ctx) => ({ rsp: ieeeLe(ctx.state.ieee) })], // GET_EXTADDR
  [
    0x07, // OSAL_NV_ITEM_INIT: id, item length (2), init length (1), init data; NV_ITEM_UNINIT when created
    (ctx, r) => {
      const id = r.u16();
      const length = r.u16();
      const initLength = r.u8();
      const created = ctx.state.nv.init(id, length, r.bytes(Math.min(initLength, r.remaining)));
      return { rsp: u8(created ? Status.NV_ITEM_UNINIT : Status.SUCCESS) };
    },
  ],
  [0x08, osalNvRead(false)], // OSAL_NV_READ
  [0x09, osalNvWrite(false)], // OSAL_NV_WRITE
  [0x0f, (_ctx, r) => ({ rsp: u8(r.u8()) })], // STACK_TUNE
  [
    0x12, // OSAL_NV_DELETE: id, item length
    (ctx, r) => {
      const id = r.u16();
      r.u16();
      return { rsp: u8(ctx.state.nv.delete(id) ? Status.SUCCESS : Status.NV_ITEM_UNINIT) };
    },
  ],
  [0x13, (ctx, r) => ({ rsp: u16(ctx.state.nv.length(r.u16())) })], // OSAL_NV_LENGTH: 2-byte length, 0 when absent
  [0x14, (_ctx, r) => ({ rsp: u8(r.u8()) })], // SET_TX_POWER: the power set
  [0x1c, osalNvRead(true)], // OSAL_NV_READ_EXT
  [0x1d, osalNvWrite(true)], // OSAL_NV_WRITE_EXT
  [
    0x30, // NV_CREATE: sys id, item id, sub id, length (4)
    (ctx, r) => {
      const key = extKey(r);
      const length = r.u32();
      if (length > 0xffff) return { rsp: u8(Status.NV_OPER_FAILED) }; // real NV pages are far smaller
      if (!ctx.state.nv.extended.has(key)) ctx.state.nv.extended.set(key, Buffer.alloc(length));
      return { rsp: u8(Status.SUCCESS) };
    },
  ],
  [0x31, (ctx, r) => ({ rsp: u8(ctx.state.nv.extended.delete(extKey(r)) ? Status.SUCCESS : Status.NV_ITEM_UNINIT) })], // NV_DELETE
  [0x32, (ctx, r) => ({ rsp: u32(ctx.state.nv.extended.get(extKey(r))?.length ?? 0) })], // NV_LENGTH: 4 bytes (MT_SysNvLength)
  [
    0x33, // NV_READ: key, offset (2), length (1)
    (ctx, r) => {
      const item = ctx.state.nv.extended.get(extKey(r));
      const offset = r.u16();
      const length = r.u8();
      if (!item) return { rsp: Buffer.from([Status.NV_OPER_FAILED, 0]) };
      const chunk = item.subarray(offset, offset + length);
      return { rsp: Buffer.concat([Buffer.from([Status.SUCCESS, chunk.length]), chunk]) };
    },
  ],
  [
    0x34, // NV_WRITE: key, offset (2), length (1), data
    (ctx, r) => {
      const item = ctx.state.nv.extended.get(extKey(r));
      const offset = r.u16();
      const data = r.bytes(r.u8());
      if (!item || offset + data.length > item.length) return { rsp: u8(Status.NV_OPER_FAILED) };
      data.copy(item, offset);
      return { rsp: u8(Status.SUCCESS) };
    },
  ],
]);
