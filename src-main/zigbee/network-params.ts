import { randomBytes } from 'node:crypto';
import type { HanNetworkParams } from '../../src-shared/model/han';

export type { HanNetworkParams };

/** SE preferred channels (SE 1.2 §5.4.3: mask 0x0318C800). */
export const SE_PREFERRED_CHANNELS: readonly number[] = [11, 14, 15, 19, 20, 24, 25];

const DEFAULT_PAN = 0x1a62;
const DEFAULT_EPID = 'DDDDDDDDDDDDDDDD';
const DEFAULT_KEY = '01030507090B0D0F00020406080A0C0D';

export function randomNetworkParams(channel?: number, random: (n: number) => Buffer = randomBytes): HanNetworkParams {
  if (channel !== undefined && (channel < 11 || channel > 26)) throw new RangeError(`channel ${channel} is outside 11-26`);
  let panId = 0;
  while (panId < 0x0001 || panId > 0xfff7 || panId === DEFAULT_PAN) panId = random(2).readUInt16LE(0);
  let extendedPanId = DEFAULT_EPID;
  while (extendedPanId === DEFAULT_EPID || /^(00)+$|^(FF)+$/.test(extendedPanId)) extendedPanId = random(8).toString('hex').toUpperCase();
  let networkKey = DEFAULT_KEY;
  while (networkKey === DEFAULT_KEY) networkKey = random(16).toString('hex').toUpperCase();
  const chosen = channel ?? SE_PREFERRED_CHANNELS[random(1)[0]! % SE_PREFERRED_CHANNELS.length]!;
  return { panId, extendedPanId, networkKey, channel: chosen };
}

export function isHerdsmanDefault(params: HanNetworkParams): boolean {
  return params.panId === DEFAULT_PAN || params.extendedPanId === DEFAULT_EPID || params.networkKey === DEFAULT_KEY;
}

export const hexToBytes = (hex: string): number[] => Array.from(Buffer.from(hex, 'hex'));
