import { z } from 'zod';
import { event, request } from '../define';

/** A service that could not start; the rest of the app runs, and the service's screen shows the message. */
export interface ServiceProblem {
  readonly service: 'premises' | 'dcc' | 'mbus';
  readonly message: string;
}

export interface AppInfo {
  readonly productName: string;
  readonly version: string;
  readonly dataDir: string;
  /** How secrets are protected at rest; `warning` is shown plainly when the protection is weaker than an OS keystore. */
  readonly secrets: { readonly backend: string; readonly protection: 'os-keystore' | 'file-key'; readonly warning?: string };
  /** The training premises (emulated dongles, DCC simulator) is running. */
  readonly trainingPremises: boolean;
  /** Job files that cannot be opened because their first event fails verification. */
  readonly damagedJobs: readonly { readonly jobId: string; readonly seq: number; readonly reason: string }[];
  /** Services that could not start (a degraded start); empty when everything runs. */
  readonly serviceProblems?: readonly ServiceProblem[];
}

export interface LogExport {
  readonly fileName: string;
  /** JSON lines, secrets already redacted. */
  readonly text: string;
}

export interface PremisesDeviceLabel {
  readonly type: string;
  readonly eui64: string;
  /** What is printed on the device's label (training premises only: virtual devices, not real secrets). */
  readonly label: string;
}

export interface PremisesStatus {
  readonly running: boolean;
  readonly ports: Readonly<Record<string, number>>;
  readonly address?: string;
  readonly mpan?: string;
  readonly mprn?: string;
  readonly devices: readonly PremisesDeviceLabel[];
}

export const appRequests = {
  'app:info': request<AppInfo>()(z.undefined()),
  /** Today's and yesterday's log files, redacted, for support. */
  'logs:export': request<LogExport>()(z.object({ days: z.number().int().min(1).max(14).default(2) }).strict()),
  'premises:status': request<PremisesStatus>()(z.undefined()),
};

export const appEvents = {
  /** A notice for the engineer (adapter lost, DCC unreachable …). */
  'app:notice': event<{ readonly level: 'info' | 'warning' | 'error'; readonly message: string }>(),
};
