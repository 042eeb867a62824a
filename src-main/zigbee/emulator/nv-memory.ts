/**
 * Z-Stack non-volatile memory as the emulator keeps it: legacy OSAL items addressed by a 16-bit id, and the
 * extended (Z-Stack 3.x.0) items addressed by system id, item id and sub id. Held in RAM; `snapshot()` and
 * `NvMemory.from()` stand in for flash surviving a power cycle or being read out.
 */
export const NV = {
  EXTADDR: 0x0001,
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
  APS_LINK_KEY_TABLE: 0x004c,
} as const;

/** Z-Stack 3.x.0 extended tables (system id 1 = ZSTACK): item id, entry count and unaligned entry size. */
export const EXT_TABLES = {
  ADDRMGR: { item: 0x0001, entries: 20, size: 11 },
  TCLK: { item: 0x0004, entries: 16, size: 19 },
  APS_KEY_DATA: { item: 0x0006, entries: 16, size: 24 },
  NWK_SEC_MATERIAL: { item: 0x0007, entries: 12, size: 12 },
} as const;
export const ZSTACK_SYSID = 1;

/** An unused address-manager entry: user 0, network address 0xFFFF, no extended address. */
export const EMPTY_ADDRMGR_ENTRY = Buffer.from('00ffffffffffffffffffff', 'hex');

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
    // Empty tables with a real capacity, so a coordinator backup can be restored onto this "dongle".
    for (const table of Object.values(EXT_TABLES)) {
      for (let sub = 0; sub < table.entries; sub++) {
        const value = table === EXT_TABLES.ADDRMGR ? Buffer.from(EMPTY_ADDRMGR_ENTRY) : Buffer.alloc(table.size);
        this.extended.set(NvMemory.extKey(ZSTACK_SYSID, table.item, sub), value);
      }
    }
    // Security manager (APS link key) table: 16-bit used count, then 10 free entries (ami 0xFFFE).
    this.items.set(NV.APS_LINK_KEY_TABLE, Buffer.concat([Buffer.alloc(2), ...Array.from({ length: 10 }, () => Buffer.from('feff000000', 'hex'))]));
  }

  /** Address-manager entries in use: EUI-64 (16 hex digits) and network address. */
  associations(): { eui64: string; nwkAddress: number; sub: number }[] {
    const out: { eui64: string; nwkAddress: number; sub: number }[] = [];
    for (let sub = 0; sub < EXT_TABLES.ADDRMGR.entries; sub++) {
      const entry = this.extended.get(NvMemory.extKey(ZSTACK_SYSID, EXT_TABLES.ADDRMGR.item, sub));
      if (!entry || entry[0] === 0) continue;
      const eui64 = Buffer.from(entry.subarray(3, 11)).reverse().toString('hex').toUpperCase();
      if (/^(FF)+$|^(00)+$/.test(eui64)) continue;
      out.push({ eui64, nwkAddress: entry.readUInt16LE(1), sub });
    }
    return out;
  }

  /** Records (or clears, with nwkAddress undefined) a device in the address manager, as Z-Stack does on join/leave. */
  setAssociation(eui64: string, nwkAddress: number | undefined): void {
    const existing = this.associations().find((a) => a.eui64 === eui64);
    let sub = existing?.sub;
    if (sub === undefined) {
      if (nwkAddress === undefined) return;
      for (let i = 0; i < EXT_TABLES.ADDRMGR.entries && sub === undefined; i++) {
        const entry = this.extended.get(NvMemory.extKey(ZSTACK_SYSID, EXT_TABLES.ADDRMGR.item, i));
        if (entry && entry[0] === 0) sub = i;
      }
      if (sub === undefined) return; // table full: Z-Stack would refuse the association
    }
    const entry =
      nwkAddress === undefined
        ? Buffer.from(EMPTY_ADDRMGR_ENTRY)
        : Buffer.concat([Buffer.from([0x03]), Buffer.from([nwkAddress & 0xff, nwkAddress >> 8]), Buffer.from(eui64, 'hex').reverse()]);
    this.extended.set(NvMemory.extKey(ZSTACK_SYSID, EXT_TABLES.ADDRMGR.item, sub), entry);
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
