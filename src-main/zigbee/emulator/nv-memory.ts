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
  POLL_RATE: 0x0024,
  BCAST_DELIVERY_TIME: 0x0030,
  CONCENTRATOR_ENABLE: 0x0032,
  CONCENTRATOR_DISCOVERY: 0x0033,
  CONCENTRATOR_RC: 0x0036,
  SRC_RTG_EXPIRY_TIME: 0x0038,
  NWK_CHILD_AGE_ENABLE: 0x003e,
  BDB_NODE_IS_ON_A_NETWORK: 0x0055,
  TCLK_SEED: 0x0101,
} as const;

/**
 * Items a Z-Stack 3.x.0 coordinator creates with their defaults at boot (osal_nv_item_init in ZDApp/ZGlobals/bdb),
 * so a host reading them on a factory-new dongle finds them. EXTADDR and the TCLK seed are filled per dongle.
 */
const BOOT_ITEMS: readonly (readonly [number, string])[] = [
  [NV.STARTUP_OPTION, '00'],
  [NV.POLL_RATE, 'b80b0000'], // 3000 ms (uint32 in 3.x)
  [NV.BCAST_DELIVERY_TIME, '1e'], // 30 × 100 ms
  [NV.CONCENTRATOR_ENABLE, '00'],
  [NV.CONCENTRATOR_DISCOVERY, '78'], // 120 s
  [NV.CONCENTRATOR_RC, '01'],
  [NV.SRC_RTG_EXPIRY_TIME, 'ff'],
  [NV.NWK_CHILD_AGE_ENABLE, '01'],
  [NV.BDB_NODE_IS_ON_A_NETWORK, '00'],
  [NV.LOGICAL_TYPE, '00'], // coordinator
  [NV.ZDO_DIRECT_CB, '00'], // ZDO responses reach the host only once it sets this (or registers callbacks)
  [NV.PANID, 'ffff'], // 0xFFFF: formation picks one
  [NV.CHANLIST, '00080000'], // channel 11
  [NV.EXTENDED_PAN_ID, '0000000000000000'], // zeros: formation uses the coordinator's EUI-64
  [NV.APS_USE_EXT_PANID, '0000000000000000'],
  [NV.PRECFGKEYS_ENABLE, '00'],
];

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
  /** `entropy` (32 bytes): the TCLK seed, then the default network key a first boot generates. */
  static factory(ieee = '00124B0018ED1A5C', entropy: Buffer = Buffer.alloc(32, 0x5a)): NvMemory {
    const nv = new NvMemory();
    nv.resetToFactory(ieee, entropy);
    return nv;
  }

  /** Clears configuration and network state and recreates what Z-Stack recreates at the next boot. */
  resetToFactory(ieee: string, entropy: Buffer): void {
    this.items.clear();
    this.extended.clear();
    for (const [id, hex] of BOOT_ITEMS) this.items.set(id, Buffer.from(hex, 'hex'));
    this.items.set(NV.EXTADDR, Buffer.from(ieee, 'hex').reverse());
    this.items.set(NV.TCLK_SEED, Buffer.from(entropy.subarray(0, 16)));
    this.items.set(NV.PRECFGKEY, Buffer.from(entropy.subarray(16, 32)));
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

  /** The network security material entry Z-Stack keeps per extended PAN ID: frame counter (4) then the ext PAN ID (8). */
  setSecurityMaterial(extPanIdRaw: Buffer, frameCounter: number): void {
    const entry = Buffer.alloc(EXT_TABLES.NWK_SEC_MATERIAL.size);
    entry.writeUInt32LE(frameCounter >>> 0, 0);
    extPanIdRaw.copy(entry, 4, 0, 8);
    this.extended.set(NvMemory.extKey(ZSTACK_SYSID, EXT_TABLES.NWK_SEC_MATERIAL.item, 0), entry);
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
