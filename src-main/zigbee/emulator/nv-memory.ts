/**
 * Z-Stack non-volatile memory as the emulator keeps it: legacy OSAL items addressed by a 16-bit id, and the
 * extended (Z-Stack 3.x.0) items addressed by system id, item id and sub id. Held in RAM; `snapshot()` and
 * `NvMemory.from()` stand in for flash surviving a power cycle or being read out.
 */
export const NV = {
  STARTUP_OPTION: 0x0003,
  NIB: 0x0021,
  EXTENDED_PAN_ID: 0x002d,
  NWK_ACTIVE_KEY_INFO: 0x003a,
  NWK_ALTERN_KEY_INFO: 0x003b,
  APS_USE_EXT_PANID: 0x0047,
  HAS_CONFIGURED_ZSTACK3: 0x0060,
  PRECFGKEY: 0x0062,
  PRECFGKEYS_ENABLE: 0x0063,
  NWKKEY: 0x0082,
  PANID: 0x0083,
  CHANLIST: 0x0084,
  LOGICAL_TYPE: 0x0087,
  ZDO_DIRECT_CB: 0x008f,
} as const;

export interface NvSnapshot {
  readonly items: readonly (readonly [number, string])[];
  readonly extended: readonly (readonly [string, string])[];
}

export class NvMemory {
  readonly items = new Map<number, Buffer>();
  readonly extended = new Map<string, Buffer>();

  static from(snapshot: NvSnapshot): NvMemory {
    const nv = new NvMemory();
    for (const [id, hex] of snapshot.items) nv.items.set(id, Buffer.from(hex, 'hex'));
    for (const [key, hex] of snapshot.extended) nv.extended.set(key, Buffer.from(hex, 'hex'));
    return nv;
  }

  /** Factory defaults: only the items a blank Z-Stack 3.x.0 always has. NWKKEY is 21 bytes on unaligned targets. */
  static factory(): NvMemory {
    const nv = new NvMemory();
    nv.resetToFactory();
    return nv;
  }

  resetToFactory(): void {
    this.items.clear();
    this.extended.clear();
    this.items.set(NV.NWKKEY, Buffer.alloc(21));
  }

  snapshot(): NvSnapshot {
    return {
      items: [...this.items].map(([id, value]) => [id, value.toString('hex')] as const),
      extended: [...this.extended].map(([key, value]) => [key, value.toString('hex')] as const),
    };
  }

  length(id: number): number {
    return this.items.get(id)?.length ?? 0;
  }

  get(id: number): Buffer | undefined {
    return this.items.get(id);
  }

  /** osalNvItemInit: true when the item was created (Z-Stack answers NV_ITEM_UNINIT = 0x09), false if it existed. */
  init(id: number, length: number, initial: Buffer): boolean {
    if (this.items.has(id)) return false;
    const value = Buffer.alloc(length);
    initial.copy(value, 0, 0, Math.min(initial.length, length));
    this.items.set(id, value);
    return true;
  }

  write(id: number, offset: number, data: Buffer): boolean {
    const item = this.items.get(id);
    if (!item || offset + data.length > item.length) return false;
    data.copy(item, offset);
    return true;
  }

  set(id: number, value: Buffer): void {
    this.items.set(id, Buffer.from(value));
  }

  delete(id: number): boolean {
    return this.items.delete(id);
  }

  static extKey(sysId: number, itemId: number, subId: number): string {
    return `${sysId}:${itemId}:${subId}`;
  }
}
