import { create } from 'zustand';
import type {
  HeardMeterView,
  MbusMeterView,
  MbusStatus,
  PrimaryScanView,
  ScanProgressView,
  SecondaryScanView,
  TelegramView,
} from '../../src-shared/ipc/channels/mbus';
import { invoke, onEvent } from '../ipc';
import { t } from '../i18n/i18n';
import { useApp } from './app-store';
import { useJobs } from './jobs-store';

/** Projection of main's M-Bus service: wired scans and reads, the walk-by list, the telegram in detail. */
interface MbusState {
  readonly status: MbusStatus | undefined;
  readonly progress: ScanProgressView | undefined;
  readonly primaryScan: PrimaryScanView | undefined;
  readonly secondaryScan: SecondaryScanView | undefined;
  readonly telegrams: readonly TelegramView[];
  readonly heard: readonly HeardMeterView[];
  /** Key of the wireless meter whose last telegram is shown in detail. */
  readonly selectedHeard: string | undefined;
  readonly busy: boolean;
  readonly error: string | undefined;
  readonly message: string | undefined;
  refresh(): Promise<void>;
  scanPrimary(from: number, to: number): Promise<void>;
  scanSecondary(): Promise<void>;
  cancel(): Promise<void>;
  read(target: { primary: number } | { secondary: string }): Promise<void>;
  setPrimary(target: number | string, newAddress: number): Promise<void>;
  selectHeard(key: string | undefined): void;
  setKey(meter: MbusMeterView, key: string | null): Promise<void>;
  decode(hex: string, key?: string): Promise<void>;
  addToJob(jobId: string, meter: MbusMeterView, wireless: boolean): Promise<void>;
  connect(args: { wired?: { target: string; baudRate?: number }; wireless?: { target: string } }): Promise<void>;
}

/** How an M-Bus meter appears in the job's device list: the full address, so meters sharing an id stay apart. */
export function meterLabel(meter: MbusMeterView, wireless: boolean): string {
  const where = wireless ? 'wireless' : meter.primary !== undefined ? `primary ${meter.primary}` : 'secondary';
  return `M-Bus ${meter.manufacturer} ${meter.id} v${meter.version} ${meter.medium} (${where})`;
}

export const useMbus = create<MbusState>((set, get) => ({
  status: undefined,
  progress: undefined,
  primaryScan: undefined,
  secondaryScan: undefined,
  telegrams: [],
  heard: [],
  selectedHeard: undefined,
  busy: false,
  error: undefined,
  message: undefined,
  async refresh() {
    const [status, heard] = await Promise.all([invoke('mbus:status'), invoke('mbus:heard')]);
    set({ ...(status.ok ? { status: status.value } : {}), ...(heard.ok ? { heard: heard.value } : {}) });
  },
  async scanPrimary(from, to) {
    set({ busy: true, error: undefined, message: undefined, primaryScan: undefined, progress: { kind: 'primary', done: 0, total: to - from + 1, found: 0 } });
    const result = await invoke('mbus:scanPrimary', { from, to });
    set({ busy: false, ...(result.ok ? { primaryScan: result.value } : { error: result.error.message }) });
  },
  async scanSecondary() {
    set({ busy: true, error: undefined, message: undefined, secondaryScan: undefined, progress: { kind: 'secondary', done: 0, total: 15, found: 0 } });
    const result = await invoke('mbus:scanSecondary');
    set({ busy: false, ...(result.ok ? { secondaryScan: result.value } : { error: result.error.message }) });
  },
  async cancel() {
    await invoke('mbus:cancelScan');
  },
  async read(target) {
    set({ busy: true, error: undefined, message: undefined, selectedHeard: undefined });
    const result = await invoke('mbus:read', target);
    set({ busy: false, ...(result.ok ? { telegrams: result.value.telegrams } : { error: result.error.message, telegrams: [] }) });
  },
  async setPrimary(target, newAddress) {
    set({ busy: true, error: undefined, message: undefined });
    const result = await invoke('mbus:setPrimary', { target, newAddress });
    set({ busy: false, ...(result.ok ? { message: `${String(target)} → ${newAddress}` } : { error: result.error.message }) });
  },
  selectHeard(key) {
    set({ selectedHeard: key, telegrams: [] });
  },
  async setKey(meter, key) {
    set({ error: undefined });
    const result = await invoke('mbus:setKey', { manufacturer: meter.manufacturer, id: meter.id, version: meter.version, deviceType: meter.deviceType, key });
    if (!result.ok) return set({ error: result.error.message });
    const updated = result.value;
    if (updated) set((state) => ({ heard: state.heard.map((m) => (m.key === updated.key ? updated : m)) }));
    void get().refresh();
  },
  async connect(args) {
    set({ busy: true, error: undefined, message: undefined });
    const result = await invoke('mbus:connect', args);
    set({ busy: false, ...(result.ok ? { status: result.value } : { error: result.error.message }) });
  },
  async addToJob(jobId, meter, wireless) {
    const label = meterLabel(meter, wireless);
    const mbus = {
      manufacturer: meter.manufacturer,
      id: meter.id,
      medium: meter.medium,
      version: meter.version,
      ...(meter.primary !== undefined && !wireless ? { primary: meter.primary } : {}),
      ...(wireless ? { wireless: true } : {}),
    };
    const result = await invoke('jobs:addDevice', { id: jobId, device: { type: 'MBUS', status: 'installed', label, mbus } });
    if (result.ok) {
      useApp.getState().notify('info', t('mbus.job.added', { label }));
      void useJobs.getState().refresh();
    } else {
      useApp.getState().notify('error', result.error.message);
    }
  },
  async decode(hex, key) {
    set({ error: undefined, selectedHeard: undefined });
    const result = await invoke('mbus:decode', { hex, ...(key ? { key } : {}) });
    set(result.ok ? { telegrams: [result.value] } : { error: result.error.message, telegrams: [] });
  },
}));

export function subscribeMbus(): () => void {
  const stops = [
    onEvent('mbus:scanProgress', (progress) => useMbus.setState({ progress })),
    onEvent('mbus:heard', (meter) =>
      useMbus.setState((state) => {
        const index = state.heard.findIndex((m) => m.key === meter.key);
        return { heard: index < 0 ? [...state.heard, meter] : state.heard.map((m, i) => (i === index ? meter : m)) };
      }),
    ),
    // Main keeps the most recently heard meters; the list here follows it and says how many went.
    onEvent('mbus:heardDropped', ({ keys, dropped, capacity }) =>
      useMbus.setState((state) => {
        const gone = new Set(keys);
        return {
          heard: state.heard.filter((m) => !gone.has(m.key)),
          ...(state.selectedHeard !== undefined && gone.has(state.selectedHeard) ? { selectedHeard: undefined } : {}),
          ...(state.status ? { status: { ...state.status, walkBy: { capacity, dropped } } } : {}),
        };
      }),
    ),
  ];
  return () => stops.forEach((stop) => stop());
}
