import { create } from 'zustand';
import type { DccRequestView, DccStatus, VerificationView } from '../../src-shared/ipc/channels/dcc';
import { invoke, onEvent } from '../ipc';

/** Projection of main's DCC gateway: status, the request log (kept current by `dcc:request`), the last check. */
interface DccState {
  readonly status: DccStatus | undefined;
  readonly requests: readonly DccRequestView[];
  readonly verification: VerificationView | undefined;
  readonly busy: boolean;
  readonly error: string | undefined;
  refresh(): Promise<void>;
  verify(args: { method: 'han-vs-dcc' | 'display-vs-dcc'; displayValue?: string; jobId?: string }): Promise<void>;
  retry(): Promise<void>;
  setWrongValue(wrong: boolean): Promise<void>;
}

export const useDcc = create<DccState>((set, get) => ({
  status: undefined,
  requests: [],
  verification: undefined,
  busy: false,
  error: undefined,
  async refresh() {
    const [status, requests] = await Promise.all([invoke('dcc:status'), invoke('dcc:requests')]);
    set({
      ...(status.ok ? { status: status.value } : {}),
      ...(requests.ok ? { requests: requests.value } : {}),
      error: !status.ok ? status.error.message : !requests.ok ? requests.error.message : undefined,
    });
  },
  async verify(args) {
    set({ busy: true, error: undefined, verification: undefined });
    const result = await invoke('dcc:verify', { ...args, displayUnit: 'kWh' });
    set({ busy: false, ...(result.ok ? { verification: result.value } : { error: result.error.message }) });
    void get().refresh();
  },
  async retry() {
    const result = await invoke('dcc:retryQueued');
    if (!result.ok) set({ error: result.error.message });
    void get().refresh();
  },
  async setWrongValue(wrong) {
    const result = await invoke('dcc:simulatorFaults', { wrongValueWh: wrong ? 250_000 : 0 });
    if (!result.ok) set({ error: result.error.message });
  },
}));

export function subscribeDcc(): () => void {
  return onEvent('dcc:request', (view) =>
    useDcc.setState((state) => {
      const index = state.requests.findIndex((r) => r.requestId === view.requestId);
      const requests = index < 0 ? [...state.requests, view] : state.requests.map((r, i) => (i === index ? view : r));
      return { requests };
    }),
  );
}
