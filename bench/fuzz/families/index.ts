import type { FuzzFamily } from '../family';
import { duisParse, duisVerify } from './duis';
import { gbcs } from './gbcs';
import { mbusWired, mbusWiredKeys, wmbus, wmbusKeys } from './mbus';
import { selfTestCrash, selfTestHang } from './self-test';
import { installCode, mpan, workOrder } from './text-inputs';
import { unpi, zcl } from './zigbee';

/** Every family `npm run fuzz -- all` runs. To add one: a file beside this and one line here. */
export const FAMILIES: readonly FuzzFamily[] = [
  mbusWired,
  mbusWiredKeys,
  wmbus,
  wmbusKeys,
  unpi,
  zcl,
  duisParse,
  duisVerify,
  gbcs,
  installCode,
  mpan,
  workOrder,
];

const SELF_TEST: readonly FuzzFamily[] = [selfTestHang, selfTestCrash];

export function familyByName(name: string): FuzzFamily {
  const family = [...FAMILIES, ...SELF_TEST].find((f) => f.name === name);
  if (!family) throw new Error(`unknown fuzz family "${name}" (available: ${FAMILIES.map((f) => f.name).join(', ')})`);
  return family;
}
