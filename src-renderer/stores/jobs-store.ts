import { create } from 'zustand';
import type { JobView } from '../../src-shared/ipc/channels/jobs';
import type { JobSummary } from '../../src-shared/model/job';
import { invoke, onEvent } from '../ipc';

/** Projection of main's job store: the table's rows, and the open job's full view. */
interface JobsState {
  readonly jobs: readonly JobSummary[];
  readonly loaded: boolean;
  readonly error: string | undefined;
  readonly open: JobView | undefined;
  refresh(): Promise<void>;
  load(id: string): Promise<void>;
  close(): void;
}

export const useJobs = create<JobsState>((set, get) => ({
  jobs: [],
  loaded: false,
  error: undefined,
  open: undefined,
  async refresh() {
    const result = await invoke('jobs:list');
    if (result.ok) set({ jobs: result.value, loaded: true, error: undefined });
    else set({ error: result.error.message, loaded: true });
  },
  async load(id) {
    const result = await invoke('jobs:get', { id });
    if (result.ok) set({ open: result.value, error: undefined });
    else set({ error: result.error.message });
    void get().refresh();
  },
  close: () => set({ open: undefined }),
}));

export function subscribeJobs(): () => void {
  return onEvent('jobs:changed', ({ id }) => {
    const state = useJobs.getState();
    void state.refresh();
    if (state.open?.summary.id === id) void state.load(id);
  });
}
