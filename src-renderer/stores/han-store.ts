import { create } from 'zustand';
import type { HanView } from '../../src-shared/ipc/channels/han';
import type { MeteringReading, PairingResult } from '../../src-shared/model/han';
import type { HanAdapterType } from '../../src-shared/model/han-adapters';
import type { AppErrorData } from '../../src-shared/ipc/result';
import type { DeviceType } from '../../src-shared/model/job';
import { toEngineerError } from '../errors/engineer-errors';
import { invoke, onEvent } from '../ipc';

/** Projection of main's HAN coordinator: the view (network, device log, devices), kept current by `han:event`. */
interface HanState {
  readonly view: HanView | undefined;
  readonly busy: boolean;
  readonly error: string | undefined;
  readonly lastAdded: { readonly eui64: string; readonly crc: string; readonly crcSupplied: boolean; readonly linkKey: string } | undefined;
  readonly pairing: Readonly<Record<string, PairingResult>>;
  readonly readings: Readonly<Record<string, MeteringReading | { readonly error: string }>>;
  refresh(): Promise<void>;
  start(jobId: string, dongle?: { adapter: HanAdapterType; path: string }, channel?: number): Promise<void>;
  stop(): Promise<void>;
  addDevice(text: string, eui64?: string, type?: DeviceType): Promise<boolean>;
  removeDevice(eui64: string): Promise<void>;
  openJoin(seconds: number): Promise<void>;
  closeJoin(): Promise<void>;
  read(eui64: string): Promise<void>;
  pair(meter: string, ihd: string): Promise<void>;
  unpair(meter: string, ihd: string): Promise<void>;
  refreshLqi(): Promise<void>;
}

export const useHan = create<HanState>((set, get) => {
  const apply = (result: { ok: true; value: HanView } | { ok: false; error: AppErrorData }): void =>
    set(result.ok ? { view: result.value, error: undefined } : { error: toEngineerError(result.error).message });
  return {
    view: undefined,
    busy: false,
    error: undefined,
    lastAdded: undefined,
    pairing: {},
    readings: {},
    async refresh() {
      apply(await invoke('han:view'));
    },
    async start(jobId, dongle, channel) {
      set({ busy: true, error: undefined });
      apply(await invoke('han:start', { jobId, ...(dongle ? { dongle } : {}), ...(channel ? { channel } : {}) }));
      set({ busy: false });
    },
    async stop() {
      apply(await invoke('han:stop'));
    },
    async addDevice(text, eui64, type) {
      const args = { text, ...(eui64 ? { eui64 } : {}), ...(type ? { type } : {}) };
      const result = await invoke('han:addDevice', args);
      if (!result.ok) {
        set({ error: toEngineerError(result.error, args).message });
        return false;
      }
      set({ lastAdded: result.value, error: undefined });
      await get().refresh();
      return true;
    },
    async removeDevice(eui64) {
      apply(await invoke('han:removeDevice', { eui64 }));
    },
    async openJoin(seconds) {
      apply(await invoke('han:openJoin', { seconds }));
    },
    async closeJoin() {
      apply(await invoke('han:closeJoin'));
    },
    async read(eui64) {
      const result = await invoke('han:read', { eui64 });
      set((s) => ({ readings: { ...s.readings, [eui64]: result.ok ? result.value : { error: toEngineerError(result.error).message } } }));
    },
    async pair(meter, ihd) {
      set({ busy: true });
      const result = await invoke('han:pair', { meter, ihd });
      set((s) => (result.ok ? { busy: false, pairing: { ...s.pairing, [ihd]: result.value } } : { busy: false, error: toEngineerError(result.error).message }));
      await get().refresh();
    },
    async refreshLqi() {
      apply(await invoke('han:refreshLqi'));
    },
    async unpair(meter, ihd) {
      const result = await invoke('han:unpair', { meter, ihd });
      set((s) => {
        const { [ihd]: _dropped, ...pairing } = s.pairing;
        return result.ok ? { view: result.value, pairing, error: undefined } : { error: toEngineerError(result.error).message };
      });
    },
  };
});

export function subscribeHan(): () => void {
  let pending = false;
  return onEvent('han:event', () => {
    // Events come in bursts (16 devices joining); one refresh per burst is enough.
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      void useHan.getState().refresh();
    }, 100);
  });
}
