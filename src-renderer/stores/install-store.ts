import { create } from 'zustand';
import type { InstallView, installRequests } from '../../src-shared/ipc/channels/install';
import type { RequestArgs } from '../../src-shared/ipc/contract';
import type { Result } from '../../src-shared/ipc/result';
import { invoke, onEvent } from '../ipc';

/** The visit actions: every install:* request but the view, which `select` reads. */
type Call = Exclude<keyof typeof installRequests, 'install:view'>;

/** Projection of main's visit runner for the job on the Install screen, kept current by `install:changed`. */
interface InstallState {
  readonly jobId: string | undefined;
  readonly view: InstallView | undefined;
  /** Why the last action was refused, shown beside the control that asked (keyed by what asked). */
  readonly error: { readonly where: string; readonly message: string } | undefined;
  select(jobId: string | undefined): Promise<void>;
  /** Sends one request; `where` names the control so its message sits beside it. Resolves true when it succeeded. */
  act<C extends Call>(where: string, channel: C, args: RequestArgs<C>): Promise<boolean>;
}

export const useInstall = create<InstallState>((set, get) => ({
  jobId: undefined,
  view: undefined,
  error: undefined,
  async select(jobId) {
    set({ jobId, view: undefined, error: undefined });
    if (!jobId) return;
    const result = await invoke('install:view', { jobId });
    if (get().jobId !== jobId) return;
    set(result.ok ? { view: result.value } : { error: { where: 'job', message: result.error.message } });
  },
  async act(where, channel, args) {
    set({ error: undefined });
    const result = (await (invoke as (c: string, a: unknown) => Promise<Result<InstallView>>)(channel, args)) as Result<InstallView>;
    if (result.ok) {
      if (result.value.jobId === get().jobId) set({ view: result.value });
      return true;
    }
    set({ error: { where, message: result.error.message } });
    return false;
  },
}));

export function subscribeInstall(): () => void {
  return onEvent('install:changed', (view) => {
    if (view.jobId === useInstall.getState().jobId) useInstall.setState({ view });
  });
}
