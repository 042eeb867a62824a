import type { SurveyNetwork } from '../../../src-shared/model/rf-survey';

/**
 * MT (Z-Stack Monitor and Test) payloads the scans build and read, by TI's MT API document:
 * - ZDO_MGMT_NWK_UPDATE_REQ (SREQ 0x25 0x37): DstAddr u16, DstAddrMode u8, ChannelMask u32, ScanDuration u8,
 *   ScanCount u8, NwkManagerAddr u16 (little-endian). Durations 0–5 are energy scans; 0xFE/0xFF would change the
 *   network's channel or manager, so they are never built here.
 * - ZDO_NWK_DISCOVERY_REQ (SREQ 0x25 0x26): ScanChannels u32, ScanDuration u8 — an active (beacon) scan; no join.
 * - ZDO_BEACON_NOTIFY_IND (AREQ 0x45 0xC5): BeaconCount u8, then per beacon 21 bytes: SrcAddr u16, PanId u16,
 *   LogicalChannel u8, PermitJoining u8, RouterCapacity u8, DeviceCapacity u8, ProtocolVersion u8, StackProfile u8,
 *   LQI u8, Depth u8, UpdateId u8, ExtendedPanId 8 bytes (little-endian). It carries no RSSI.
 * - ZDO_NWK_DISCOVERY_CNF (AREQ 0x45 0xC7): Status u8 — the scan is over.
 * - The energy scan's answer comes as ZDO_MGMT_NWK_UPDATE_NOTIFY (AREQ 0x45 0xB8: SrcAddr u16, then the
 *   Mgmt_NWK_Update_notify payload) when ZCD_NV_ZDO_DIRECT_CB is set, or, for a host that registered cluster
 *   0x8038 with ZDO_MSG_CB_REGISTER (SREQ 0x25 0x3E), as ZDO_MSG_CB_INCOMING (AREQ 0x45 0xFF: SrcAddr u16,
 *   WasBroadcast u8, ClusterId u16, SecurityUse u8, SeqNum u8, MacDstAddr u16, then the payload). The payload:
 *   Status u8, ScannedChannels u32, TotalTransmissions u16, TransmissionFailures u16, ListCount u8, energies u8[].
 */
export const MT_ZDO = 0x05;
export const MT_AREQ = 0x02;
export const ZDO_BEACON_NOTIFY_IND = 0xc5;
export const ZDO_NWK_DISCOVERY_CNF = 0xc7;
export const ZDO_MGMT_NWK_UPDATE_NOTIFY = 0xb8;
export const ZDO_MSG_CB_INCOMING = 0xff;
export const MGMT_NWK_UPDATE_NOTIFY_CLUSTER = 0x8038;
export const ENERGY_SCAN_MAX_DURATION = 5;
const BEACON_BYTES = 21;

/** 32-bit channel mask of the 2.4 GHz channels asked (bit n = channel n). */
export function channelMask(channels: readonly number[]): number {
  let mask = 0;
  for (const channel of channels) {
    if (!Number.isInteger(channel) || channel < 11 || channel > 26) throw new RangeError(`channel ${channel} is outside 11-26`);
    mask |= 1 << channel;
  }
  return mask >>> 0;
}

/** Channels whose bits are set in a mask, ascending. */
export function maskChannels(mask: number): number[] {
  const channels: number[] = [];
  for (let channel = 11; channel <= 26; channel++) if ((mask >>> channel) & 1) channels.push(channel);
  return channels;
}

/** ZDO_MGMT_NWK_UPDATE_REQ data for an energy scan addressed to the coordinator itself (0x0000, 16-bit mode). */
export function energyScanRequest(channels: readonly number[], duration: number, count = 1): Buffer {
  if (!Number.isInteger(duration) || duration < 0 || duration > ENERGY_SCAN_MAX_DURATION) throw new RangeError('an energy scan duration is 0-5');
  const data = Buffer.alloc(11);
  data.writeUInt16LE(0x0000, 0);
  data.writeUInt8(0x02, 2);
  data.writeUInt32LE(channelMask(channels), 3);
  data.writeUInt8(duration, 7);
  data.writeUInt8(count, 8);
  data.writeUInt16LE(0x0000, 9);
  return data;
}

/** ZDO_NWK_DISCOVERY_REQ data. */
export function discoveryRequest(channels: readonly number[], duration: number): Buffer {
  const data = Buffer.alloc(5);
  data.writeUInt32LE(channelMask(channels), 0);
  data.writeUInt8(duration, 4);
  return data;
}

/** ZDO_BEACON_NOTIFY_IND data → networks; a truncated trailing beacon is dropped, never half-read. */
export function parseBeaconNotify(data: Buffer): SurveyNetwork[] {
  if (data.length < 1) return [];
  const count = data[0]!;
  const networks: SurveyNetwork[] = [];
  for (let i = 0; i < count; i++) {
    const at = 1 + i * BEACON_BYTES;
    if (at + BEACON_BYTES > data.length) break;
    const b = data.subarray(at, at + BEACON_BYTES);
    networks.push({
      source: b.readUInt16LE(0),
      panId: b.readUInt16LE(2),
      channel: b[4]!,
      permitJoin: b[5] !== 0,
      routerCapacity: b[6] !== 0,
      deviceCapacity: b[7] !== 0,
      stackProfile: b[9]!,
      lqi: b[10]!,
      depth: b[11]!,
      extendedPanId: Buffer.from(b.subarray(13, 21)).reverse().toString('hex').toUpperCase(),
      rssi: null,
    });
  }
  return networks;
}

export interface NwkUpdateNotify {
  readonly source: number;
  readonly status: number;
  readonly scannedChannels: number;
  readonly energies: readonly number[];
}

/** Mgmt_NWK_Update_notify from either MT form (direct AREQ or ZDO_MSG_CB_INCOMING), or undefined for other frames. */
export function parseNwkUpdateNotify(command: number, data: Buffer): NwkUpdateNotify | undefined {
  let source: number;
  let payload: Buffer;
  if (command === ZDO_MGMT_NWK_UPDATE_NOTIFY && data.length >= 2) {
    source = data.readUInt16LE(0);
    payload = data.subarray(2);
  } else if (command === ZDO_MSG_CB_INCOMING && data.length >= 9 && data.readUInt16LE(3) === MGMT_NWK_UPDATE_NOTIFY_CLUSTER) {
    source = data.readUInt16LE(0);
    payload = data.subarray(9);
  } else return undefined;
  if (payload.length < 1) return undefined;
  const status = payload[0]!;
  if (status !== 0 || payload.length < 10) return { source, status, scannedChannels: 0, energies: [] };
  const count = payload[9]!;
  return { source, status, scannedChannels: payload.readUInt32LE(1), energies: [...payload.subarray(10, 10 + count)] };
}
