import type { JobStatus } from './job-fields';
import type { Job } from './job-state';

/** One row of the jobs table. */
export interface JobSummary {
  readonly id: string;
  readonly status: JobStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly address: string;
  readonly postcode: string;
  readonly mpan?: string;
  readonly mprn?: string;
  readonly engineer?: string;
  readonly appointmentStart?: string;
  readonly workOrderReference?: string;
  readonly deviceCount: number;
  readonly eventCount: number;
}

export function summariseJob(job: Job): JobSummary {
  const { address } = job.premises;
  return {
    id: job.id,
    status: job.status,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    address: [address.line1, address.line2, address.town].filter(Boolean).join(', '),
    postcode: address.postcode,
    deviceCount: job.devices.length,
    eventCount: job.seq,
    ...(job.premises.mpan !== undefined ? { mpan: job.premises.mpan } : {}),
    ...(job.premises.mprn !== undefined ? { mprn: job.premises.mprn } : {}),
    ...(job.premises.engineer !== undefined ? { engineer: job.premises.engineer } : {}),
    ...(job.premises.appointment ? { appointmentStart: job.premises.appointment.start } : {}),
    ...(job.workOrderReference !== undefined ? { workOrderReference: job.workOrderReference } : {}),
  };
}

/** Masks a secret for exports and screens: only the last four characters stay visible. */
export function maskSecret(secret: string, visible = 4): string {
  if (secret.length <= visible * 2) return '••••';
  return '••••' + secret.slice(-visible);
}
