import { ieeeLe } from './mt-codec';

/** The NIB (nwkIB_t) as Z-Stack 3.x.0 stores it in NV item 0x0021: 110 bytes, unaligned fields. */
export const NIB_LENGTH = 110;

export interface NibSummary {
  readonly panId: number;
  readonly channel: number;
  /** Extended PAN ID as stored (byte-reversed). */
  readonly extPanIdRaw: Buffer;
}

/** The fields the emulator needs back out of a stored NIB, or undefined when none is stored. */
export function readNib(nib: Buffer | undefined): NibSummary | undefined {
  if (!nib || nib.length < NIB_LENGTH) return undefined;
  return { panId: nib.readUInt16LE(33), channel: nib[22]!, extPanIdRaw: nib.subarray(53, 61) };
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
