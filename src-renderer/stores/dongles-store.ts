import { create } from 'zustand';
import type { DongleInfo, HidAvailability } from '../../src-shared/model/dongle';
import { invoke, onEvent } from '../ipc';

/** Projection of main's dongle list: loaded once, then kept current by `dongles:changed` events. */
interface DonglesState {
  readonly dongles: readonly DongleInfo[];
  readonly hid: HidAvailability | undefined;
  readonly trainingPremises: boolean;
  readonly error: string | undefined;
  refresh(): Promise<void>;
}

export const useDongles = create<DonglesState>((set) => ({
  dongles: [],
  hid: undefined,
  trainingPremises: false,
  error: undefined,
  async refresh() {
    const result = await invoke('dongles:list');
    if (result.ok) set({ dongles: result.value.dongles, hid: result.value.hid, trainingPremises: result.value.trainingPremises, error: undefined });
    else set({ error: result.error.message });
  },
}));

export function subscribeDongles(): () => void {
  return onEvent('dongles:changed', (change) =>
    useDongles.setState((state) => ({
      dongles:
        change.type === 'added'
          ? [...state.dongles.filter((d) => d.id !== change.dongle.id), change.dongle]
          : state.dongles.filter((d) => d.id !== change.dongle.id),
    })),
  );
}
