import { randomInt } from 'node:crypto';
import { aesMmoHash } from '../link-key';
import { DEV_STATE } from './coordinator-state';
import { channelsOf, ieeeLe, Status, u8 } from './mt-codec';
import type { MtCommandTable, MtContext, MtHandler } from './mt-context';
import { buildNib } from './nib';
import { NV } from './nv-memory';
import { MtSubsystem } from './unpi';

/** APP_CNF (MT_APP_CONFIG.c): BDB commissioning and trust-centre policy. */

const ZDO_STATE_CHANGE_IND = 0xc0;
const BDB_COMMISSIONING_NOTIFICATION = 0x80;
const BDB_MODE = { FORMATION: 0x04 } as const;

/** Install code with its CRC-16/X-25 (little-endian) appended, as BDB checks it before deriving the key. */
function crcMatches(codeWithCrc: Buffer): boolean {
  let crc = 0xffff;
  for (const byte of codeWithCrc.subarray(0, -2)) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  crc = ~crc & 0xffff;
  return codeWithCrc[codeWithCrc.length - 2] === (crc & 0xff) && codeWithCrc[codeWithCrc.length - 1] === crc >>> 8;
}

/**
 * BDB formation. A network already stored (NIB present, bdbNodeIsOnANetwork set) is resumed, never re-formed over
 * it. Otherwise: PAN ID from NV, or a random one when NV holds 0xFFFF (never 0xFFFF itself); the first channel of
 * the primary mask (else NV's channel list); the extended PAN ID from NV, else the coordinator's EUI-64.
 */
export function formNetwork(ctx: MtContext): void {
  const { nv } = ctx.state;
  const stored = ctx.state.nib() !== undefined && nv.get(NV.BDB_NODE_IS_ON_A_NETWORK)?.[0] === 1;
  if (!stored) {
    let panId = nv.get(NV.PANID)?.readUInt16LE(0) ?? 0xffff;
    if (panId === 0xffff) {
      panId = randomInt(0x0001, 0xfff7);
      const stored16 = Buffer.alloc(2);
      stored16.writeUInt16LE(panId);
      nv.set(NV.PANID, stored16);
    }
    const mask = ctx.state.primaryChannelMask || (nv.get(NV.CHANLIST)?.readUInt32LE(0) ?? 1 << 11);
    const channel = channelsOf(mask)[0] ?? 11;
    const storedExt = nv.get(NV.EXTENDED_PAN_ID);
    const extPanId = storedExt && storedExt.some((b) => b !== 0) ? storedExt : ieeeLe(ctx.state.ieee);
    const key = nv.get(NV.PRECFGKEY) ?? Buffer.alloc(16);
    nv.set(NV.NIB, buildNib({ panId, channel, channelMask: mask, extPanIdRaw: extPanId, coordinatorIeee: ctx.state.ieee }));
    const keyInfo = Buffer.concat([u8(0), key]);
    nv.set(NV.NWK_ACTIVE_KEY_INFO, keyInfo);
    nv.set(NV.NWK_ALTERN_KEY_INFO, keyInfo);
    nv.set(NV.BDB_NODE_IS_ON_A_NETWORK, u8(1));
    nv.setSecurityMaterial(extPanId, ctx.state.nwkFrameCounter);
    ctx.log.info('network formed', { panId, channel });
    ctx.host.areq(MtSubsystem.ZDO, ZDO_STATE_CHANGE_IND, u8(DEV_STATE.COORDINATOR_STARTING));
  } else {
    ctx.network.syncAssociations();
    ctx.log.info('network resumed');
  }
  ctx.state.devState = DEV_STATE.COORDINATOR;
  ctx.host.areq(MtSubsystem.ZDO, ZDO_STATE_CHANGE_IND, u8(DEV_STATE.COORDINATOR));
  ctx.host.areq(MtSubsystem.APP_CNF, BDB_COMMISSIONING_NOTIFICATION, Buffer.from([Status.SUCCESS, BDB_MODE.FORMATION, 0x00]));
}

const acceptOneByte: MtHandler = (_ctx, r) => (r.u8(), { rsp: u8(Status.SUCCESS) });

export const APP_CNF_COMMANDS: MtCommandTable = new Map<number, MtHandler>([
  [0x03, acceptOneByte], // SET_ALLOWREJOIN_TC_POLICY
  [
    0x04, // BDB_ADD_INSTALL_CODE: format (1 = code + CRC, 2 = derived key), ieee, code
    (ctx, r) => {
      const format = r.u8();
      const ieee = r.ieee();
      const code = r.rest();
      if (format === 0x01) {
        // Install code with its CRC: the TC checks the CRC and derives the link key (AES-MMO).
        if (![8, 10, 14, 18].includes(code.length) || !crcMatches(code)) return { rsp: u8(Status.INVALID_PARAMETER) };
        ctx.state.tcLinkKeys.set(ieee, aesMmoHash(code).toString('hex').toUpperCase());
      } else if (format === 0x02 && code.length === 16) {
        ctx.state.tcLinkKeys.set(ieee, code.toString('hex').toUpperCase());
      } else {
        return { rsp: u8(Status.INVALID_PARAMETER) };
      }
      ctx.log.info('install code added', { ieee });
      return { rsp: u8(Status.SUCCESS) };
    },
  ],
  [
    0x05, // BDB_START_COMMISSIONING: mode bitmap (formation = 0x04)
    (ctx, r) => {
      const mode = r.u8();
      return { rsp: u8(Status.SUCCESS), after: () => (mode & BDB_MODE.FORMATION ? formNetwork(ctx) : undefined) };
    },
  ],
  [0x06, (ctx, r) => ((ctx.state.joinUsesInstallCodeKey = r.u8() !== 0), { rsp: u8(Status.SUCCESS) })], // BDB_SET_JOINUSESINSTALLCODEKEY
  [0x07, acceptOneByte], // BDB_SET_ACTIVE_DEFAULT_CENTRALIZED_POLICY
  [
    0x08, // BDB_SET_CHANNEL: primary flag, channel mask
    (ctx, r) => {
      const primary = r.u8();
      const mask = r.u32();
      if (primary) ctx.state.primaryChannelMask = mask;
      else ctx.state.secondaryChannelMask = mask;
      return { rsp: u8(Status.SUCCESS) };
    },
  ],
  [0x09, acceptOneByte], // BDB_SET_TC_REQUIRE_KEY_EXCHANGE
]);
