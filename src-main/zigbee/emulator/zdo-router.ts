import { u16, u8 } from './mt-codec';
import type { MtContext } from './mt-context';
import { MtSubsystem } from './unpi';
import { serveZdo } from './zdo-server';

const ZDO_MSG_CB_INCOMING = 0xff;
const NWK_ADDR_RSP = 0x8000;
const IEEE_ADDR_RSP = 0x8001;

/**
 * Carries a ZDO request from the host to its node and the response back, the two ways Z-Stack reports ZDO
 * responses (MT_ZDO.c): as the response's own AREQ (id = cluster | 0x80, source address first; NWK/IEEE address
 * responses in MT_ZdoAddrRspCB's layout) when ZCD_NV_ZDO_DIRECT_CB is set, and as ZDO_MSG_CB_INCOMING for every
 * response cluster the host registered with ZDO_MSG_CB_REGISTER.
 */
export function routeZdo(ctx: MtContext, dst: number, cluster: number, payload: Buffer, seq: number): void {
  const respond = (src: number) => (body: Buffer) => zdoToHost(ctx, src, cluster | 0x8000, body, seq);
  if (dst === 0x0000 || dst >= 0xfffc) {
    serveZdo(ctx, undefined, cluster, payload, respond(0x0000));
    return;
  }
  const device = ctx.network.joinedAt(dst);
  // An unreachable node never answers: the host's own timeout is what it sees, as on a real network.
  if (!device || !ctx.network.reachable(device)) return;
  ctx.network.viaAir(device, `zdo 0x${cluster.toString(16).padStart(4, '0')}`, () => serveZdo(ctx, device, cluster, payload, respond(dst)));
}

export function zdoToHost(ctx: MtContext, src: number, rspCluster: number, body: Buffer, seq: number): void {
  if (ctx.state.directCallbacks) {
    const id = (rspCluster & 0xff) | 0x80;
    if (rspCluster === NWK_ADDR_RSP || rspCluster === IEEE_ADDR_RSP) {
      // MT_ZdoAddrRspCB: status, ieee, nwk, start index, associated device count (+ list); only on success.
      if (body[0] === 0) ctx.host.areq(MtSubsystem.ZDO, id, Buffer.concat([body.subarray(0, 11), u8(0), u8(0)]));
    } else {
      ctx.host.areq(MtSubsystem.ZDO, id, Buffer.concat([u16(src), body]));
    }
  }
  if (ctx.state.zdoCallbacks.has(rspCluster)) {
    // MT_ZdoSendMsgCB: src, wasBroadcast, cluster, securityUse, sequence, MAC destination, then the response.
    ctx.host.areq(MtSubsystem.ZDO, ZDO_MSG_CB_INCOMING, Buffer.concat([u16(src), u8(0), u16(rspCluster), u8(0), u8(seq), u16(0x0000), body]));
  }
}
