/**
 * MT byte vectors for the scans, laid out field by field from TI's Z-Stack Monitor and Test API
 * (ZDO_MGMT_NWK_UPDATE_REQ, ZDO_NWK_DISCOVERY_REQ, ZDO_BEACON_NOTIFY_IND). Multi-byte fields are little-endian.
 */

/** ZDO_MGMT_NWK_UPDATE_REQ data: energy scan of channels 11–26 on the coordinator itself, duration 3, one scan. */
export const ENERGY_SCAN_ALL_D3 = Buffer.from(
  [
    [0x00, 0x00], // DstAddr 0x0000 (the coordinator itself)
    [0x02], // DstAddrMode: 16-bit address
    [0x00, 0xf8, 0xff, 0x07], // ChannelMask 0x07FFF800 = channels 11–26
    [0x03], // ScanDuration 3: (2^3 + 1) superframes per channel
    [0x01], // ScanCount 1
    [0x00, 0x00], // NwkManagerAddr (ignored for a scan)
  ].flat(),
);

/** ZDO_NWK_DISCOVERY_REQ data: channels 11, 15, 20 and 25, duration 4. */
export const DISCOVERY_11_15_20_25_D4 = Buffer.from(
  [
    [0x00, 0x88, 0x10, 0x02], // ScanChannels 0x02108800 = bits 11, 15, 20, 25
    [0x04], // ScanDuration 4
  ].flat(),
);

/** One beacon of a Comms Hub whose printed ID (extended PAN ID) is 00 0D 6F 00 0A 1B 2C 3D. */
const HUB_BEACON = [
  [0x00, 0x00], // SrcAddr 0x0000: the coordinator (CHF) itself
  [0x34, 0x12], // PanId 0x1234
  [0x13], // LogicalChannel 19
  [0x00], // PermitJoining: closed
  [0x01], // RouterCapacity: yes
  [0x01], // DeviceCapacity: yes
  [0x02], // ProtocolVersion 2
  [0x02], // StackProfile 2 (ZigBee PRO)
  [0xb4], // LQI 180
  [0x00], // Depth 0
  [0x00], // UpdateId 0
  [0x3d, 0x2c, 0x1b, 0x0a, 0x00, 0x6f, 0x0d, 0x00], // ExtendedPanId, least significant byte first
].flat();

/** A neighbour's router, heard through the wall. */
const NEIGHBOUR_BEACON = [
  [0x01, 0xa0], // SrcAddr 0xA001: a router
  [0xcd, 0xab], // PanId 0xABCD
  [0x0f], // LogicalChannel 15
  [0x01], // PermitJoining: open
  [0x00], // RouterCapacity: full
  [0x01], // DeviceCapacity: yes
  [0x02], // ProtocolVersion 2
  [0x02], // StackProfile 2
  [0x3c], // LQI 60
  [0x02], // Depth 2
  [0x05], // UpdateId 5
  [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01], // ExtendedPanId 0102030405060708
].flat();

/** ZDO_BEACON_NOTIFY_IND data with both beacons. */
export const BEACON_NOTIFY_TWO = Buffer.from([0x02, ...HUB_BEACON, ...NEIGHBOUR_BEACON]);

/** Says two beacons but the second is cut short (a torn frame must not yield a half-read network). */
export const BEACON_NOTIFY_TRUNCATED = Buffer.from([0x02, ...HUB_BEACON, ...NEIGHBOUR_BEACON.slice(0, 10)]);
