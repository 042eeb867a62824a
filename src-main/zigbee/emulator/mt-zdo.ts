import { formNetwork } from './mt-app-cnf';
import { channelsOf, Status, u16, u8, type Reader } from './mt-codec';
import type { MtCommandTable, MtHandler } from './mt-context';
import { encodeBeacon, scanMsPerChannel } from './radio-world';
import { routingTable } from './topology';
import { MtSubsystem } from './unpi';
import { ZDO_CLUSTER } from './zdo-server';
import { routeZdo } from './zdo-router';

/**
 * ZDO (MT_ZDO.c): the host's ZDO requests (SRSP = the request was sent; the node's response follows as an AREQ),
 * network discovery, ZDO callbacks, start-up, and TI's ZDO extensions (groups, routes, network info).
 */

const AREQ = { STATE_CHANGE_IND: 0xc0, BEACON_NOTIFY_IND: 0xc5, NWK_DISCOVERY_CNF: 0xc7 } as const;
/** MT_ZDO_BEACON_IND_PACK_LEN (250) holds 11 beacons of 21 bytes after the count byte. */
const BEACONS_PER_FRAME = 11;
let sequence = 0;
const nextSeq = (): number => (sequence = (sequence + 1) & 0xff);

/** The common MT shape: destination (2) then the ZDO request payload as the air carries it. */
const addressed =
  (cluster: number): MtHandler =>
  (ctx, r) => {
    const dst = r.u16();
    const payload = Buffer.from(r.rest());
    return { rsp: u8(Status.SUCCESS), after: () => routeZdo(ctx, dst, cluster, payload, nextSeq()) };
  };

/** MT_ZdoBindRequest / MT_ZdoUnbindRequest: the destination address field is always 8 bytes on MT. */
const bindRequest =
  (cluster: number): MtHandler =>
  (ctx, r) => {
    const dst = r.u16();
    const head = Buffer.from(r.bytes(8 + 1 + 2)); // src ieee, src ep, cluster
    const mode = r.u8();
    const address = r.bytes(8);
    const dstEp = r.remaining > 0 ? r.u8() : 0;
    const payload = mode === 0x03 ? Buffer.concat([head, u8(mode), address, u8(dstEp)]) : Buffer.concat([head, u8(mode), address.subarray(0, 2)]);
    return { rsp: u8(Status.SUCCESS), after: () => routeZdo(ctx, dst, cluster, payload, nextSeq()) };
  };

/** MT_ZdoMgmtLeaveRequest: MT's flags (bit 0 rejoin, bit 1 remove children) become the air's (bit 7, bit 6). */
const mgmtLeave: MtHandler = (ctx, r) => {
  const dst = r.u16();
  const ieee = Buffer.from(r.bytes(8));
  const flags = r.u8();
  const air = ((flags & 0x01) << 7) | ((flags & 0x02) << 5);
  return { rsp: u8(Status.SUCCESS), after: () => routeZdo(ctx, dst, ZDO_CLUSTER.MGMT_LEAVE_REQ, Buffer.concat([ieee, u8(air)]), nextSeq()) };
};

/**
 * MT_ZdoMgmtPermitJoinRequest: [address mode], dst, duration, TC significance. The coordinator opens its own
 * window for a broadcast too; MT suppresses ZDO_PERMIT_JOIN_IND for a permit the host asked for.
 */
const mgmtPermitJoin: MtHandler = (ctx, r) => {
  if (r.remaining >= 5) r.u8();
  const dst = r.u16();
  const seconds = r.u8();
  const tc = r.u8();
  return {
    rsp: u8(Status.SUCCESS),
    after: () => {
      if (dst >= 0xfffc) ctx.network.permitJoin(seconds);
      else routeZdo(ctx, dst, ZDO_CLUSTER.MGMT_PERMIT_JOIN_REQ, Buffer.from([seconds, tc]), nextSeq());
    },
  };
};

/** MT_ZdoMgmtNwkUpdateRequest: dst, dst mode, channel mask, duration, count, manager; a broadcast reaches us too. */
const mgmtNwkUpdate: MtHandler = (ctx, r) => {
  const dst = r.u16();
  const mode = r.u8();
  const payload = Buffer.from(r.rest()); // mask (4), duration, count, manager (2)
  if (!ctx.state.running) return { rsp: u8(Status.NWK_INVALID_REQUEST) }; // no network to send it on
  const self = mode === 0x0f || dst >= 0xfffc ? 0x0000 : dst;
  return { rsp: u8(Status.SUCCESS), after: () => routeZdo(ctx, self, ZDO_CLUSTER.MGMT_NWK_UPDATE_REQ, payload, nextSeq()) };
};

/** MT_ZdoNwkAddressRequest: ieee, request type, start index (a broadcast the owner answers). */
const nwkAddrRequest: MtHandler = (ctx, r) => {
  const ieeeBytes = Buffer.from(r.bytes(8));
  const rest = Buffer.from(r.rest());
  const eui64 = Buffer.from(ieeeBytes).reverse().toString('hex').toUpperCase();
  const owner = eui64 === ctx.state.ieee ? 0x0000 : ctx.network.device(eui64)?.nwkAddress;
  return {
    rsp: u8(Status.SUCCESS),
    after: () => (owner === undefined ? undefined : routeZdo(ctx, owner, ZDO_CLUSTER.NWK_ADDR_REQ, Buffer.concat([ieeeBytes, rest]), nextSeq())),
  };
};

/** MT_ZdoIEEEAddrRequest: nwk address of interest (also the destination), request type, start index. */
const ieeeAddrRequest: MtHandler = (ctx, r) => {
  const payload = Buffer.from(r.data);
  const dst = r.u16();
  r.u8();
  r.u8();
  return { rsp: u8(Status.SUCCESS), after: () => routeZdo(ctx, dst, ZDO_CLUSTER.IEEE_ADDR_REQ, payload, nextSeq()) };
};

/**
 * MT_ZdoNetworkDiscoveryReq: scan channels, scan duration. An active scan of each channel for (2^n + 1)
 * superframes; the beacons heard come packed 21 bytes each in ZDO_BEACON_NOTIFY_IND, then ZDO_NWK_DISCOVERY_CNF.
 */
const nwkDiscovery: MtHandler = (ctx, r) => {
  const mask = r.u32();
  const duration = r.u8();
  return {
    rsp: u8(Status.SUCCESS),
    after: () =>
      ctx.host.later(channelsOf(mask).length * scanMsPerChannel(duration), () => {
        const beacons = ctx.radio.beacons(mask, ctx.network.ownNetwork()).map(encodeBeacon);
        for (let i = 0; i < beacons.length; i += BEACONS_PER_FRAME) {
          const batch = beacons.slice(i, i + BEACONS_PER_FRAME);
          ctx.host.areq(MtSubsystem.ZDO, AREQ.BEACON_NOTIFY_IND, Buffer.concat([u8(batch.length), ...batch]));
        }
        ctx.host.areq(MtSubsystem.ZDO, AREQ.NWK_DISCOVERY_CNF, u8(Status.SUCCESS));
      }),
  };
};

/** MT_ZdoStartupFromApp (3.x.0): starts BDB formation on a coordinator, which resumes a stored network. */
const startupFromApp: MtHandler = (ctx, r) => (r.u16(), { rsp: u8(Status.SUCCESS), after: () => formNetwork(ctx) });

/** MT_ZdoExtRouteCheck: dst, route status, options → RTG_SUCCESS when an active route exists, else RTG_NO_ENTRY. */
const extRouteCheck: MtHandler = (ctx, r) => {
  const dst = r.u16();
  r.u8();
  r.u8();
  const route = routingTable(ctx.network.topology(), undefined)?.find((e) => e.dst === dst);
  return { rsp: u8(route ? 0x00 : 0x04) };
};

const extNwkInfo: MtHandler = (ctx) => {
  const nib = ctx.state.nib();
  return {
    rsp: Buffer.concat([
      u16(0x0000),
      u8(ctx.state.devState),
      u16(nib?.panId ?? 0xffff),
      u16(0xfffe), // parent address: none for a coordinator
      nib ? Buffer.from(nib.extPanIdRaw) : Buffer.alloc(8),
      Buffer.alloc(8), // parent extended address
      u8(nib?.channel ?? 0),
    ]),
  };
};

const groupKey = (r: Reader): string => `${r.u8()}:${r.u16()}`;

export const ZDO_COMMANDS: MtCommandTable = new Map<number, MtHandler>([
  [0x00, nwkAddrRequest],
  [0x01, ieeeAddrRequest],
  [0x02, addressed(ZDO_CLUSTER.NODE_DESC_REQ)],
  [0x04, addressed(ZDO_CLUSTER.SIMPLE_DESC_REQ)],
  [0x05, addressed(ZDO_CLUSTER.ACTIVE_EP_REQ)],
  [0x21, bindRequest(ZDO_CLUSTER.BIND_REQ)],
  [0x22, bindRequest(ZDO_CLUSTER.UNBIND_REQ)],
  [0x26, nwkDiscovery],
  [0x31, addressed(ZDO_CLUSTER.MGMT_LQI_REQ)],
  [0x32, addressed(ZDO_CLUSTER.MGMT_RTG_REQ)],
  [0x33, addressed(ZDO_CLUSTER.MGMT_BIND_REQ)],
  [0x34, mgmtLeave],
  [0x36, mgmtPermitJoin],
  [0x37, mgmtNwkUpdate],
  [0x3e, (ctx, r) => (ctx.state.zdoCallbacks.add(r.u16()), { rsp: u8(Status.SUCCESS) })], // MSG_CB_REGISTER
  [0x3f, (ctx, r) => (ctx.state.zdoCallbacks.delete(r.u16()), { rsp: u8(Status.SUCCESS) })], // MSG_CB_REMOVE
  [0x40, startupFromApp],
  [0x45, (_ctx, r) => (r.u16(), r.u8(), r.u8(), { rsp: u8(Status.SUCCESS) })], // EXT_ROUTE_DISC: dst, options, radius
  [0x46, extRouteCheck],
  [0x47, (ctx, r) => (ctx.state.groups.delete(groupKey(r)), { rsp: u8(Status.SUCCESS) })], // EXT_REMOVE_GROUP
  [
    0x4a, // EXT_FIND_GROUP: endpoint, group → status, group id, name
    (ctx, r) => {
      const ep = r.u8();
      const group = r.u16();
      const found = ctx.state.groups.has(`${ep}:${group}`);
      return { rsp: Buffer.concat([u8(found ? Status.SUCCESS : Status.FAILURE), u16(found ? group : 0), u8(0)]) };
    },
  ],
  [0x4b, (ctx, r) => (ctx.state.groups.add(groupKey(r)), { rsp: u8(Status.SUCCESS) })], // EXT_ADD_GROUP (name ignored)
  [0x50, extNwkInfo],
]);
