import type { KeyMaterial } from './security';

/**
 * A meter's full address. Meter state and keys are keyed by all four parts, never by the id alone: different
 * meters (and different layouts) do share ids (see the els_falcon / els_tmpa case in domain-mbus.md §7).
 */
export interface MeterAddress {
  readonly manufacturer: string;
  readonly id: string;
  readonly version: number;
  readonly deviceType: number;
}

export function meterKey(address: MeterAddress): string {
  return `${address.manufacturer}-${address.id}-${address.version}-${address.deviceType}`;
}

/** Finds the AES key for a meter (raw bytes or a prepared key), or undefined when none is known. */
export type KeyLookup = (address: MeterAddress) => KeyMaterial | undefined;
