import { ieeeFromLe, Status, u8, type Reader } from './mt-codec';
import type { MtCommandTable, MtContext, MtHandler } from './mt-context';
import { MtSubsystem } from './unpi';
import { routeZdo } from './zdo-router';

/**
 * AF (MT_AF.c): endpoint registration and data requests. A request to endpoint 0 with the ZDO profile is a ZDO
 * request (sequence number first) and is served by the addressed node's ZDO, the coordinator's own included;
 * anything else goes to the device's application (ZCL). AF_DATA_CONFIRM follows every request.
 */

const AF_DATA_CONFIRM = 0x80;
const ADDR_MODE = { GROUP: 0x01, NWK: 0x02, IEEE: 0x03, BROADCAST: 0x0f } as const;

interface DataRequest {
  readonly dst: number;
  readonly dstEp: number;
  readonly srcEp: number;
  readonly clusterId: number;
  readonly transId: number;
  readonly data: Buffer;
}

function deliver(ctx: MtContext, req: DataRequest): void {
  const confirm = (status: number): void => ctx.host.areq(MtSubsystem.AF, AF_DATA_CONFIRM, Buffer.from([status, req.srcEp, req.transId]));
  if (req.dstEp === 0x00) {
    // ZDO over AF: the node's ZDO answers; the host hears it as a ZDO response (direct AREQ or MSG_CB_INCOMING).
    const device = req.dst === 0x0000 ? undefined : ctx.network.joinedAt(req.dst);
    if (req.dst !== 0x0000 && (!device || !ctx.network.reachable(device))) {
      confirm(device ? Status.MAC_NO_ACK : Status.NWK_NO_ROUTE);
      return;
    }
    confirm(Status.SUCCESS);
    routeZdo(ctx, req.dst, req.clusterId, req.data.subarray(1), req.data[0] ?? 0);
    return;
  }
  const device = ctx.network.joinedAt(req.dst);
  if (!device || !ctx.network.reachable(device)) {
    confirm(device ? Status.MAC_NO_ACK : Status.NWK_NO_ROUTE); // the device (or its parent) is off or out of range
    return;
  }
  ctx.network.viaAir(
    device,
    `zcl 0x${req.clusterId.toString(16).padStart(4, '0')}`,
    () => {
      confirm(Status.SUCCESS);
      const profile = ctx.state.endpoints.get(req.srcEp)?.profile ?? 0x0104;
      const reply = ctx.zcl.handle(device, req.dstEp, req.clusterId, profile, req.data);
      if (reply) ctx.zcl.incoming(device, req.clusterId, req.srcEp, reply);
    },
    () => confirm(Status.MAC_TRANSACTION_EXPIRED),
  );
}

/** AF_DATA_REQUEST: dst (2), dst ep, src ep, cluster, trans id, options, radius, len (1), data. */
const dataRequest: MtHandler = (ctx, r) => {
  const dst = r.u16();
  const dstEp = r.u8();
  const srcEp = r.u8();
  const clusterId = r.u16();
  const transId = r.u8();
  r.u8(); // options
  r.u8(); // radius
  const data = Buffer.from(r.bytes(r.u8()));
  return { rsp: u8(Status.SUCCESS), after: () => deliver(ctx, { dst, dstEp, srcEp, clusterId, transId, data }) };
};

/** AF_DATA_REQUEST_EXT: addr mode, dst (8), dst ep, dst PAN, src ep, cluster, trans id, options, radius, len (2), data. */
const dataRequestExt: MtHandler = (ctx, r) => {
  const mode = r.u8();
  const address = r.bytes(8);
  const dstEp = r.u8();
  r.u16(); // destination PAN ID (inter-PAN when not ours)
  const srcEp = r.u8();
  const clusterId = r.u16();
  const transId = r.u8();
  r.u8(); // options
  r.u8(); // radius
  const data = Buffer.from(r.bytes(r.u16()));
  const dst = resolveExt(ctx, mode, address);
  if (dst === undefined) {
    // Broadcasts and groups (e.g. herdsman's Green Power permit) reach no virtual device: confirmed, as sent.
    return { rsp: u8(Status.SUCCESS), after: () => ctx.host.areq(MtSubsystem.AF, AF_DATA_CONFIRM, Buffer.from([Status.SUCCESS, srcEp, transId])) };
  }
  return { rsp: u8(Status.SUCCESS), after: () => deliver(ctx, { dst, dstEp, srcEp, clusterId, transId, data }) };
};

/** A unicast's network address (the coordinator's own EUI-64 is 0x0000); undefined for broadcasts and groups. */
function resolveExt(ctx: MtContext, mode: number, address: Buffer): number | undefined {
  if (mode === ADDR_MODE.NWK) {
    const nwk = address.readUInt16LE(0);
    return nwk >= 0xfff8 ? undefined : nwk;
  }
  if (mode !== ADDR_MODE.IEEE) return undefined;
  const eui64 = ieeeFromLe(address);
  if (eui64 === ctx.state.ieee) return 0x0000;
  const device = ctx.network.device(eui64);
  return device?.joined ? device.nwkAddress : 0xfffe; // unknown: no route
}

const register: MtHandler = (ctx, r: Reader) => {
  const ep = r.u8();
  const profile = r.u16();
  const deviceId = r.u16();
  r.u8(); // device version
  r.u8(); // latency requirement
  const inClusters = Array.from({ length: r.u8() }, () => r.u16());
  const outClusters = Array.from({ length: r.u8() }, () => r.u16());
  if (ctx.state.endpoints.has(ep)) return { rsp: u8(Status.AF_DUPLICATE_ENDPOINT) };
  ctx.state.endpoints.set(ep, { profile, deviceId, inClusters, outClusters });
  return { rsp: u8(Status.SUCCESS) };
};

export const AF_COMMANDS: MtCommandTable = new Map<number, MtHandler>([
  [0x00, register],
  [0x01, dataRequest],
  [0x02, dataRequestExt],
  [0x03, (_ctx, r) => (r.rest(), { rsp: u8(Status.SUCCESS) })], // DATA_REQUEST_SRC_RTG: accepted, routes are the radio's
]);
