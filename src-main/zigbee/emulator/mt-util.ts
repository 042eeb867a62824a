import { ieeeLe, Status, u16, u8 } from './mt-codec';
import type { MtCommandTable, MtContext, MtHandler } from './mt-context';
import type { VirtualSeDevice } from './virtual-se-device';

/** UTIL (MT_UTIL.c): device info, LED, and the associated device list (the coordinator's children). */

/** nodeRelation of associated_devices_t. */
const NODE_RELATION = { CHILD_RFD: 1, CHILD_FFD_RX_IDLE: 4, NOTUSED: 0xff } as const;
const ASSOCIATED_DEVICE_SIZE = 36;

/**
 * associated_devices_t as a CC26x2 (aligned) Z-Stack 3.x.0 sends it raw: shortAddr, addrIdx, nodeRelation,
 * devStatus, assocCnt, age, linkInfo {txCounter, txCost, rxLqi, inKeySeqNum, inFrmCntr@+4, txFailure@+8} (12),
 * endDev {endDevCfg, deviceTimeout@+4} (8), timeoutCounter, keepaliveRcv, ctrl; 36 bytes. Not found: shortAddr
 * 0xFFFE and nodeRelation NOTUSED.
 */
export function associatedDevice(ctx: MtContext, device: VirtualSeDevice | undefined, index: number): Buffer {
  const out = Buffer.alloc(ASSOCIATED_DEVICE_SIZE);
  if (!device) {
    out.writeUInt16LE(0xfffe, 0);
    out.writeUInt16LE(0xffff, 2);
    out[4] = NODE_RELATION.NOTUSED;
    return out;
  }
  out.writeUInt16LE(device.nwkAddress, 0);
  out.writeUInt16LE(index, 2);
  out[4] = device.spec.sleepy ? NODE_RELATION.CHILD_RFD : NODE_RELATION.CHILD_FFD_RX_IDLE;
  out[6] = 1; // assocCnt
  out[8 + 1] = 1; // linkInfo.txCost
  out[8 + 2] = ctx.radio.linkLqi(device.eui64); // linkInfo.rxLqi
  if (device.spec.sleepy) {
    out.writeUInt32LE(8 * 60 * 1000, 20 + 4); // endDev.deviceTimeout: 8 minutes (timeout index 3)
    out[32] = 1; // keepaliveRcv
  }
  return out;
}

/** The coordinator's associated device list: the devices that joined it directly. */
const children = (ctx: MtContext): VirtualSeDevice[] => ctx.network.devices.filter((d) => d.joined && d.parentNwk === 0);

export const UTIL_COMMANDS: MtCommandTable = new Map<number, MtHandler>([
  [
    0x00, // GET_DEVICE_INFO: status, ieee, nwk, device type bitmap, state, child count, children
    (ctx) => {
      const list = children(ctx);
      return {
        rsp: Buffer.concat([
          u8(Status.SUCCESS),
          ieeeLe(ctx.state.ieee),
          u16(0x0000),
          u8(0x07), // coordinator | router | end device capable
          u8(ctx.state.devState),
          u8(list.length),
          ...list.map((d) => u16(d.nwkAddress)),
        ]),
      };
    },
  ],
  [0x0a, (_ctx, r) => (r.u8(), r.u8(), { rsp: u8(Status.SUCCESS) })], // LED_CONTROL: led id, mode
  [
    0x48, // ASSOC_COUNT: start relation, end relation → count (2)
    (ctx, r) => {
      const from = r.u8();
      const to = r.u8();
      const count = children(ctx).filter((d) => {
        const relation = d.spec.sleepy ? NODE_RELATION.CHILD_RFD : NODE_RELATION.CHILD_FFD_RX_IDLE;
        return relation >= from && relation <= to;
      }).length;
      return { rsp: u16(count) };
    },
  ],
  [
    0x49, // ASSOC_FIND_DEVICE: n-th entry → the raw associated_devices_t
    (ctx, r) => {
      const n = r.u8();
      return { rsp: associatedDevice(ctx, children(ctx)[n], n) };
    },
  ],
  [
    0x4a, // ASSOC_GET_WITH_ADDRESS: ieee, nwk → the raw associated_devices_t
    (ctx, r) => {
      const ieee = r.ieee();
      const nwk = r.u16();
      const list = children(ctx);
      const byIeee = /^0+$/.test(ieee) ? -1 : list.findIndex((d) => d.eui64 === ieee);
      const index = byIeee >= 0 ? byIeee : list.findIndex((d) => d.nwkAddress === nwk);
      return { rsp: associatedDevice(ctx, list[index], index) };
    },
  ],
  [0x63, (_ctx, r) => (r.ieee(), { rsp: u8(Status.SUCCESS) })], // ASSOC_REMOVE
  [0x64, (_ctx, r) => (r.u16(), r.ieee(), r.u8(), { rsp: u8(Status.SUCCESS) })], // ASSOC_ADD: nwk, ieee, relation
]);
