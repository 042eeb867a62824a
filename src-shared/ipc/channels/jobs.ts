import { z } from 'zod';
import {
  DEVICE_TYPES,
  deviceFieldsSchema,
  installCodeSchema,
  premisesSchema,
  premisesUpdatedPayload,
  type DeviceStatus,
  type DeviceType,
  type JobNote,
  type JobSummary,
  type Premises,
} from '../../model/job';
import { workOrderSchema } from '../../model/work-order';
import { event, request } from '../define';

/** A device as the renderer sees it: never the install code itself, only whether one is recorded. */
export interface JobDeviceView {
  readonly id: string;
  readonly type: DeviceType;
  readonly eui64?: string;
  readonly hasInstallCode: boolean;
  readonly status: DeviceStatus;
  readonly statusReason?: string;
  readonly label?: string;
}

export interface TimelineEntry {
  readonly seq: number;
  readonly time: string;
  readonly engineer: string;
  readonly kind: string;
  /** The payload with sealed secrets shown as "[sealed]". */
  readonly details: string;
}

export interface JobIntegrity {
  readonly ok: boolean;
  readonly events: number;
  readonly brokenSeq?: number;
  readonly reason?: string;
}

export interface JobView {
  readonly summary: JobSummary;
  readonly premises: Premises;
  readonly devices: readonly JobDeviceView[];
  readonly notes: readonly JobNote[];
  readonly timeline: readonly TimelineEntry[];
  readonly integrity: JobIntegrity;
}

const jobId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'job id may use letters, digits, "-" and "_"');

/** Devices typed by the engineer: the install code must be plain text to be validated (never a sealed blob). */
const deviceEntry = deviceFieldsSchema.extend({ installCode: installCodeSchema.optional() }).strict();

export const jobRequests = {
  'jobs:list': request<readonly JobSummary[]>()(z.undefined()),
  'jobs:get': request<JobView>()(z.object({ id: jobId }).strict()),
  'jobs:create': request<JobSummary>()(
    z
      .object({ premises: premisesSchema, devices: z.array(deviceEntry).max(64).default([]), workOrderReference: z.string().trim().min(1).max(100).optional() })
      .strict(),
  ),
  'jobs:updatePremises': request<JobSummary>()(z.object({ id: jobId, changes: premisesUpdatedPayload }).strict()),
  'jobs:addDevice': request<JobView>()(z.object({ id: jobId, device: deviceEntry }).strict()),
  'jobs:addNote': request<JobView>()(z.object({ id: jobId, text: z.string().trim().min(1, 'the note is empty').max(4000) }).strict()),
  'jobs:importWorkOrder': request<JobSummary>()(workOrderSchema),
};

export const jobEvents = {
  /** A job changed (created, edited, or a workflow appended to its timeline). */
  'jobs:changed': event<{ readonly id: string }>(),
};

export { DEVICE_TYPES };
