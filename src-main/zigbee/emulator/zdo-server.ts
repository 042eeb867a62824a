import { channelsOf, ieeeLe, Reader, Status, u16, u32, u8 } from './mt-codec';
import type { MtContext } from './mt-context';
import { scanMsPerChannel } from './radio-world';
import { neighbourTable, routingTable } from './topology';
import { MtSubsystem } from './unpi';
import { SE_PROFILE, type VirtualSeDevice } from './virtual-se-device';

/**
 * ZDO as each node runs it (ZigBee spec §2.4.3–2.4.4): a request cluster and its payload (after the sequence
 * number) in, the response cluster (request | 0x8000) and payload out. The coordinator (node undefined) and every
 * virtual device answer through the same table, whichever MT path carried the request (ZDO SREQs or AF
 * DataRequest(Ext) to endpoint 0).
 */
export type ZdoReply = (payload: Buffer) => void;
type ZdoService = (ctx: MtContext, node: VirtualSeDevice | undefined, r: Reader, reply: ZdoReply) => void;

export const ZDO_CLUSTER = {
  NWK_ADDR_REQ: 0x0000,
  IEEE_ADDR_REQ: 0x0001,
  NODE_DESC_REQ: 0x0002,
  SIMPLE_DESC_REQ: 0x0004,
  ACTIVE_EP_REQ: 0x0005,
  BIND_REQ: 0x0021,
  UNBIND_REQ: 0x0022,
  MGMT_LQI_REQ: 0x0031,
  MGMT_RTG_REQ: 0x0032,
  MGMT_BIND_REQ: 0x0033,
  MGMT_LEAVE_REQ: 0x0034,
  MGMT_PERMIT_JOIN_REQ: 0x0036,
  MGMT_NWK_UPDATE_REQ: 0x0038,
} as const;

/** ZDO_MAX_LQI_ITEMS, ZDO_MAX_RTG_ITEMS and ZDO_MAX_BIND_ITEMS of Z-Stack's ZDProfile. */
const PAGE = { LQI: 3, RTG: 10, BIND: 3 } as const;

const nwkOf = (ctx: MtContext, node: VirtualSeDevice | undefined): number => (node ? node.nwkAddress : 0x0000);
const ieeeOf = (ctx: MtContext, node: VirtualSeDevice | undefined): string => (node ? node.eui64 : ctx.state.ieee);

/** Node descriptor (13 bytes): coordinator, router or end device on 2.4 GHz, stack compliance revision 22. */
export function nodeDescriptor(device: VirtualSeDevice | undefined): Buffer {
  return Buffer.concat([
    u8(device ? device.logicalType : 0), // logical type, no complex/user descriptor
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

const addressResponse: ZdoService = (ctx, node, _r, reply) => reply(Buffer.concat([u8(Status.SUCCESS), ieeeLe(ieeeOf(ctx, node)), u16(nwkOf(ctx, node))]));

const SERVICES = new Map<number, ZdoService>([
  [ZDO_CLUSTER.NWK_ADDR_REQ, addressResponse],
  [ZDO_CLUSTER.IEEE_ADDR_REQ, addressResponse],
  [
    ZDO_CLUSTER.NODE_DESC_REQ,
    (ctx, node, r, reply) => {
      const nwk = r.u16();
      if (node?.spec.answersNodeDescriptor === false) return; // fault injection: the device never answers
      reply(Buffer.concat([u8(Status.SUCCESS), u16(nwk), nodeDescriptor(node)]));
    },
  ],
  [
    ZDO_CLUSTER.ACTIVE_EP_REQ,
    (ctx, node, r, reply) => {
      const nwk = r.u16();
      const eps = node ? [node.endpoint] : [...ctx.state.endpoints.keys()];
      reply(Buffer.concat([u8(Status.SUCCESS), u16(nwk), u8(eps.length), Buffer.from(eps)]));
    },
  ],
  [
    ZDO_CLUSTER.SIMPLE_DESC_REQ,
    (ctx, node, r, reply) => {
      const nwk = r.u16();
      const ep = r.u8();
      const desc = node
        ? ep === node.endpoint
          ? { profile: SE_PROFILE, deviceId: node.deviceId, inClusters: node.inClusters, outClusters: node.outClusters }
          : undefined
        : ctx.state.endpoints.get(ep);
      if (!desc) return reply(Buffer.concat([u8(0x82), u16(nwk), u8(0)])); // INVALID_EP
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
      reply(Buffer.concat([u8(Status.SUCCESS), u16(nwk), u8(body.length), body]));
    },
  ],
  [ZDO_CLUSTER.BIND_REQ, (ctx, node, r, reply) => bindOrUnbind(ctx, node, r, reply, true)],
  [ZDO_CLUSTER.UNBIND_REQ, (ctx, node, r, reply) => bindOrUnbind(ctx, node, r, reply, false)],
  [
    ZDO_CLUSTER.MGMT_BIND_REQ,
    (ctx, node, r, reply) => {
      const start = r.u8();
      const table = node?.bindings ?? [];
      const page = table.slice(start, start + PAGE.BIND);
      const entries = page.map((b) =>
        Buffer.concat([ieeeLe(node!.eui64), u8(b.srcEndpoint), u16(b.clusterId), u8(0x03), ieeeLe(b.dstIeee), u8(b.dstEndpoint)]),
      );
      reply(Buffer.concat([u8(Status.SUCCESS), u8(table.length), u8(start), u8(page.length), ...entries]));
    },
  ],
  [
    ZDO_CLUSTER.MGMT_LQI_REQ,
    (ctx, node, r, reply) => {
      const start = r.u8();
      const table = neighbourTable(ctx.network.topology(), node);
      if (!table) return reply(Buffer.from([Status.ZDP_NOT_SUPPORTED, 0, start, 0])); // an end device keeps no table
      const extPan = ctx.state.nib()?.extPanIdRaw ?? Buffer.alloc(8);
      const page = table.slice(start, start + PAGE.LQI).map((n) =>
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
      reply(Buffer.concat([u8(Status.SUCCESS), u8(table.length), u8(start), u8(page.length), ...page]));
    },
  ],
  [
    ZDO_CLUSTER.MGMT_RTG_REQ,
    (ctx, node, r, reply) => {
      const start = r.u8();
      const routes = routingTable(ctx.network.topology(), node);
      if (!routes) return reply(Buffer.from([Status.ZDP_NOT_SUPPORTED, 0, start, 0]));
      const page = routes.slice(start, start + PAGE.RTG).map((e) => Buffer.concat([u16(e.dst), u8(e.status), u16(e.nextHop)]));
      reply(Buffer.concat([u8(Status.SUCCESS), u8(routes.length), u8(start), u8(page.length), ...page]));
    },
  ],
  [
    ZDO_CLUSTER.MGMT_LEAVE_REQ,
    (ctx, node, r, reply) => {
      const ieee = r.ieee();
      const flags = r.u8(); // bit 6 remove children, bit 7 rejoin
      const target = node && node.eui64 === ieee ? node : undefined;
      reply(u8(target ? Status.SUCCESS : Status.ZDP_NOT_SUPPORTED));
      if (!target) return;
      const nwk = target.nwkAddress;
      ctx.network.forget(target);
      target.leftOnRequest = true;
      ctx.host.areq(MtSubsystem.ZDO, 0xc9, Buffer.concat([u16(nwk), ieeeLe(ieee), u8(0), u8(0), u8(flags & 0x80 ? 1 : 0)])); // ZDO_LEAVE_IND
      ctx.emit({ kind: 'left', eui64: ieee });
    },
  ],
  [
    ZDO_CLUSTER.MGMT_PERMIT_JOIN_REQ,
    (ctx, node, r, reply) => {
      const seconds = r.u8();
      reply(u8(Status.SUCCESS));
      if (!node) ctx.network.permitJoin(seconds);
    },
  ],
  [ZDO_CLUSTER.MGMT_NWK_UPDATE_REQ, (ctx, node, r, reply) => nwkUpdate(ctx, node, r, reply)],
]);

function bindOrUnbind(ctx: MtContext, node: VirtualSeDevice | undefined, r: Reader, reply: ZdoReply, bind: boolean): void {
  const srcIeee = r.ieee();
  const srcEndpoint = r.u8();
  const clusterId = r.u16();
  const mode = r.u8();
  const dstIeee = mode === 0x03 ? r.ieee() : (r.u16(), '');
  const dstEndpoint = mode === 0x03 ? r.u8() : 0;
  // Coordinator binding tables and group bindings are not emulated: NOT_SUPPORTED, as a node without them answers.
  if (!node || node.eui64 !== srcIeee || mode !== 0x03) return reply(u8(Status.ZDP_NOT_SUPPORTED));
  const index = node.bindings.findIndex(
    (b) => b.srcEndpoint === srcEndpoint && b.clusterId === clusterId && b.dstIeee === dstIeee && b.dstEndpoint === dstEndpoint,
  );
  if (bind) {
    if (index < 0) node.bindings.push({ srcEndpoint, clusterId, dstIeee, dstEndpoint });
    reply(u8(Status.SUCCESS));
    ctx.zcl.scheduleReports(node, 20);
  } else {
    if (index >= 0) node.bindings.splice(index, 1);
    reply(u8(index >= 0 ? Status.SUCCESS : Status.ZDP_NO_ENTRY));
  }
}

/**
 * Mgmt_NWK_Update_req: scan duration 0–5 asks for an energy scan (scan count times; the notify carries the last),
 * 0xFE a channel change, 0xFF new channel mask and network manager (no response for either).
 */
function nwkUpdate(ctx: MtContext, node: VirtualSeDevice | undefined, r: Reader, reply: ZdoReply): void {
  const mask = r.u32();
  const duration = r.u8();
  if (duration === 0xfe) {
    if (!node) changeChannel(ctx, mask);
    return;
  }
  if (duration > 5) return;
  const scanCount = Math.max(1, Math.min(r.remaining > 0 ? r.u8() : 1, 5));
  const channels = channelsOf(mask);
  ctx.host.later(channels.length * scanCount * scanMsPerChannel(duration), () => {
    const own = ctx.network.ownNetwork();
    let energies: number[] = [];
    for (let i = 0; i < scanCount; i++) energies = channels.map((c) => ctx.radio.energy(c, own));
    reply(Buffer.concat([u8(Status.SUCCESS), u32(mask), u16(0), u16(0), u8(energies.length), Buffer.from(energies)]));
  });
}

function changeChannel(ctx: MtContext, mask: number): void {
  const [channel] = channelsOf(mask);
  const nib = ctx.state.nv.get(0x0021);
  if (channel === undefined || !nib) return;
  nib[22] = channel;
  ctx.state.nwkUpdateId = (ctx.state.nwkUpdateId + 1) & 0xff;
  ctx.log.info('network channel changed', { channel });
}

/**
 * A node runs one ZDO request. An unknown request cluster is answered NOT_SUPPORTED (spec §2.4.3: a response with
 * that status), which also keeps a malformed request from going unanswered.
 */
export function serveZdo(ctx: MtContext, node: VirtualSeDevice | undefined, cluster: number, payload: Buffer, reply: ZdoReply): void {
  const service = SERVICES.get(cluster);
  if (!service) {
    reply(u8(Status.ZDP_NOT_SUPPORTED));
    return;
  }
  try {
    service(ctx, node, new Reader(payload), reply);
  } catch {
    ctx.emit({ kind: 'malformed', reason: `ZDO request 0x${cluster.toString(16).padStart(4, '0')} too short` });
  }
}
