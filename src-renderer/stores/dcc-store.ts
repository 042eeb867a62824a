import { create } from 'zustand';
import type { DccGbcsFault, DccPayloadFormat, DccRequestView, DccStatus, VerificationView } from '../../src-shared/ipc/channels/dcc';
import { toEngineerError } from '../errors/engineer-errors';
import { invoke, onEvent } from '../ipc';

export interface VerifyArgs {
  readonly method: 'han-vs-dcc' | 'display-vs-dcc';
  readonly displayValue?: string;
  readonly jobId?: string;
  readonly confirmMpanMismatch?: boolean;
}

/** Projection of main's DCC gateway: status, the request log (kept current by `dcc:request`), the last check. */
interface DccState {
  readonly status: DccStatus | undefined;
  readonly requests: readonly DccRequestView[];
  readonly verification: VerificationView | undefined;
  readonly busy: boolean;
  /** The last action's failure (verify, retry, training controls): stays until the next action, never cleared by a refresh. */
  readonly error: string | undefined;
  /** Why the status or request log could not be read (cleared by the next successful refresh). */
  readonly loadError: string | undefined;
  refresh(): Promise<void>;
  verify(args: VerifyArgs): Promise<void>;
  /** The MPAN warning that stopped a verification, with the request to repeat once the engineer confirms. */
  readonly mpanWarning: { readonly message: string; readonly args: VerifyArgs } | undefined;
  confirmMpan(): Promise<void>;
  abortMpan(): void;
  retry(): Promise<void>;
  setWrongValue(wrong: boolean): Promise<void>;
  /** Training: the simulator's GBCS fault or payload format; the status is refreshed to show what it does now. */
  setSimulator(settings: { readonly gbcsFault?: DccGbcsFault; readonly payloadFormat?: DccPayloadFormat }): Promise<void>;
}

export const useDcc = create<DccState>((set, get) => ({
  status: undefined,
  requests: [],
  verification: undefined,
  busy: false,
  error: undefined,
  loadError: undefined,
  async refresh() {
    const [status, requests] = await Promise.all([invoke('dcc:status'), invoke('dcc:requests')]);
    set({
      ...(status.ok ? { status: status.value } : {}),
      ...(requests.ok ? { requests: requests.value } : {}),
      loadError: !status.ok ? status.error.message : !requests.ok ? requests.error.message : undefined,
    });
  },
  mpanWarning: undefined,
  async verify(args) {
    set({ busy: true, error: undefined, verification: undefined, mpanWarning: undefined });
    const sent = { ...args, displayUnit: 'kWh' as const };
    const result = await invoke('dcc:verify', sent);
    if (!result.ok && result.error.code === 'MPAN_MISMATCH') {
      // Stops the engineer until they confirm or abort: nothing is recorded meanwhile.
      set({ busy: false, mpanWarning: { message: result.error.message, args } });
      return;
    }
    set({ busy: false, ...(result.ok ? { verification: result.value } : { error: toEngineerError(result.error, sent).message }) });
    void get().refresh();
  },
  async confirmMpan() {
    const warning = get().mpanWarning;
    if (warning) await get().verify({ ...warning.args, confirmMpanMismatch: true });
  },
  abortMpan: () => set({ mpanWarning: undefined }),
  async retry() {
    const result = await invoke('dcc:retryQueued');
    if (!result.ok) set({ error: result.error.message });
    void get().refresh();
  },
  async setWrongValue(wrong) {
    const result = await invoke('dcc:simulatorFaults', { wrongValueWh: wrong ? 250_000 : 0 });
    if (!result.ok) set({ error: result.error.message });
  },
  async setSimulator(settings) {
    const result = await invoke('dcc:simulatorFaults', settings);
    if (!result.ok) set({ error: result.error.message });
    await get().refresh();
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
