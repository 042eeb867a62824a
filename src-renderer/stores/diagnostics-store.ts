import { create } from 'zustand';
import type { DiagnosticsView, EnergyView, SurveyView } from '../../src-shared/ipc/channels/diagnostics';
import type { HanAdapterType } from '../../src-shared/model/han-adapters';
import type { DeviceLink, DeviceTables, NetworkMap } from '../../src-shared/model/han-links';
import type { SurveyPosition } from '../../src-shared/model/rf-survey';
import { invoke, onEvent } from '../ipc';

type Dongle = { adapter: HanAdapterType; path: string } | undefined;
/** Which control an error belongs to, so the message sits beside it. */
export type DiagArea = 'energy' | 'survey' | 'position' | 'links' | 'map';

/** Projection of main's diagnostics: scans, survey, positions recorded in the job, link quality and the map. */
interface DiagnosticsState {
  readonly energy: EnergyView | undefined;
  readonly survey: SurveyView | undefined;
  readonly positions: readonly SurveyPosition[];
  readonly links: readonly DeviceLink[];
  readonly tables: Readonly<Record<string, DeviceTables>>;
  readonly map: NetworkMap | undefined;
  /** The training premises' radio can be impaired. */
  readonly training: boolean;
  readonly busy: Partial<Record<DiagArea, boolean>>;
  readonly errors: Partial<Record<DiagArea, string>>;
  refresh(): Promise<void>;
  energyScan(dongle: Dongle): Promise<void>;
  clearEnergy(): Promise<void>;
  beaconScan(dongle: Dongle): Promise<boolean>;
  recordPosition(jobId: string, position: string, hubId: string): Promise<boolean>;
  loadPositions(jobId: string): Promise<void>;
  loadLinks(): Promise<void>;
  checkPresence(): Promise<void>;
  impair(eui64: string, action: 'worsen' | 'drop' | 'clear'): Promise<void>;
  readTables(eui64: string): Promise<void>;
  loadMap(): Promise<void>;
}

export const useDiagnostics = create<DiagnosticsState>((set, get) => {
  /** Runs one request for an area: busy while it runs, its error (or none) beside that area's controls. */
  async function run<T>(area: DiagArea, request: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T | undefined> {
    set((s) => ({ busy: { ...s.busy, [area]: true }, errors: { ...s.errors, [area]: undefined } }));
    const result = await request();
    set((s) => ({ busy: { ...s.busy, [area]: false }, errors: { ...s.errors, [area]: result.ok ? undefined : result.error.message } }));
    return result.ok ? result.value : undefined;
  }
  const withDongle = (dongle: Dongle): { dongle?: { adapter: HanAdapterType; path: string } } => (dongle ? { dongle } : {});
  return {
    energy: undefined,
    survey: undefined,
    positions: [],
    links: [],
    tables: {},
    map: undefined,
    training: false,
    busy: {},
    errors: {},
    async refresh() {
      const result = await invoke('diag:view');
      if (result.ok) set({ energy: result.value.energy, survey: result.value.survey, training: result.value.training } satisfies Partial<DiagnosticsView>);
    },
    async energyScan(dongle) {
      const energy = await run('energy', () => invoke('diag:energyScan', withDongle(dongle)));
      if (energy) set({ energy });
    },
    async clearEnergy() {
      const energy = await run('energy', () => invoke('diag:clearEnergy'));
      if (energy) set({ energy });
    },
    async beaconScan(dongle) {
      const survey = await run('survey', () => invoke('diag:beaconScan', withDongle(dongle)));
      if (survey) set({ survey });
      return survey !== undefined;
    },
    async recordPosition(jobId, position, hubId) {
      const recorded = await run('position', () => invoke('diag:recordPosition', { jobId, position, hubId }));
      if (recorded) await get().loadPositions(jobId);
      return recorded !== undefined;
    },
    async loadPositions(jobId) {
      const result = await invoke('diag:positions', { jobId });
      set({ positions: result.ok ? result.value : [] });
    },
    async loadLinks() {
      const links = await run('links', () => invoke('diag:links'));
      if (links) set({ links });
    },
    async checkPresence() {
      const links = await run('links', () => invoke('diag:checkPresence'));
      if (links) set({ links });
    },
    async impair(eui64, action) {
      const links = await run('links', () => invoke('diag:trainingImpair', { eui64, action }));
      if (links) set({ links });
    },
    async readTables(eui64) {
      const tables = await run('links', () => invoke('diag:tables', { eui64 }));
      if (tables) set((s) => ({ tables: { ...s.tables, [eui64]: tables } }));
      await get().loadLinks();
    },
    async loadMap() {
      const map = await run('map', () => invoke('diag:networkMap'));
      if (map) set({ map });
      await get().loadLinks();
    },
  };
});

/** Scans finishing elsewhere (another window, the CLI is separate) refresh the view; HAN events refresh the links. */
export function subscribeDiagnostics(): () => void {
  const stops = [
    onEvent('diag:changed', () => void useDiagnostics.getState().refresh()),
    onEvent('han:event', () => void useDiagnostics.getState().loadLinks()),
  ];
  return () => stops.forEach((stop) => stop());
}
