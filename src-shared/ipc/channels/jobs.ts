import { z } from 'zod';
import {
  DEVICE_TYPES,
  deviceFieldsSchema,
  mpanSchema,
  premisesSchema,
  premisesUpdatedPayload,
  type DeviceStatus,
  type DeviceType,
  type JobNote,
  type JobSummary,
  type Premises,
} from '../../model/job';
import { DEVICE_CHANGE_REASONS, HAN_DEVICE_TYPES, identityTransform, type DeviceChangeReason, type MbusIdentity } from '../../model/device-identity';
import type { DeviceRemoval, IhdPairing, UnexpectedDevice } from '../../model/job';
import { ENGINEER_LOCALES, type EngineerLocale } from '../../model/engineer-locale';
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
  readonly mbus?: MbusIdentity;
  readonly correction?: { readonly reason: DeviceChangeReason; readonly note?: string; readonly seq: number };
}

/** A device taken off the job: shown struck through with why. */
export interface RemovedDeviceView extends JobDeviceView {
  readonly removal: DeviceRemoval;
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
  readonly removedDevices: readonly RemovedDeviceView[];
  readonly pairings: readonly IhdPairing[];
  readonly unexpectedDevices: readonly UnexpectedDevice[];
  /** Every name recorded on this job's events, in order of first appearance. */
  readonly recordedBy: readonly string[];
}

/** Who is working: recorded on every event. */
export interface EngineerView {
  readonly name: string;
  /** remembered: the engineer gave it; environment: HAN_ENGINEER; system: the OS user name (not yet confirmed). */
  readonly source: 'remembered' | 'environment' | 'system';
}

/** What the engineer was doing, kept by main in the data folder so a reload or restart returns to it. */
export interface SessionView {
  readonly openJobId?: string;
  readonly screen?: string;
  readonly theme?: 'light' | 'dark' | 'contrast';
  /** Dates, times and numbers on screen (en-GB unless the engineer chose another). */
  readonly locale?: EngineerLocale;
}

/** The training premises' meter point: it takes the visited job's MPAN/MPRN unless a trainer set a mismatch. */
export interface TrainingMeterPointView {
  readonly running: boolean;
  readonly mpan?: string;
  readonly mprn?: string;
  readonly source?: 'job' | 'premises' | 'trainer';
  readonly trainerMpan?: string;
  /** The training premises' wireless M-Bus meters with their keys (training keys, printed on the virtual meters' labels). */
  readonly radioMeters?: readonly TrainingRadioMeter[];
}

export interface TrainingRadioMeter {
  readonly manufacturer: string;
  readonly id: string;
  readonly version: number;
  readonly security: 0 | 5 | 7;
  readonly key?: string;
}

const jobId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'job id may use letters, digits, "-" and "_"');

/**
 * Devices as entered: the install code must be plain text to be validated (never a sealed blob). A label in the
 * install-code field names its EUI-64, which is read from it and must agree with a typed one.
 */
const deviceFields = deviceFieldsSchema.extend({ eui64: z.string().max(40).optional(), installCode: z.string().max(300).optional() }).strict();
const deviceEntry = deviceFields.transform(identityTransform(() => false));
/** A device the engineer adds by hand: a HAN device needs its EUI-64 (typed or read from its label). */
const handDeviceEntry = deviceFields.transform(identityTransform((d) => HAN_DEVICE_TYPES.includes(d.type) || d.type === 'OTHER'));
const deviceId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'device id');

export const jobRequests = {
  'jobs:list': request<readonly JobSummary[]>()(z.undefined()),
  'jobs:get': request<JobView>()(z.object({ id: jobId }).strict()),
  'jobs:create': request<JobSummary>()(
    z
      .object({ premises: premisesSchema, devices: z.array(deviceEntry).max(64).default([]), workOrderReference: z.string().trim().min(1).max(100).optional() })
      .strict(),
  ),
  'jobs:updatePremises': request<JobSummary>()(z.object({ id: jobId, changes: premisesUpdatedPayload }).strict()),
  'jobs:addDevice': request<JobView>()(z.object({ id: jobId, device: handDeviceEntry }).strict()),
  /** Corrects a device's identity with a reason (device.corrected); the old values stay in the timeline. */
  'jobs:correctDevice': request<JobView>()(
    z
      .object({
        id: jobId,
        deviceId,
        reason: z.enum(DEVICE_CHANGE_REASONS),
        note: z.string().trim().min(1).max(500).optional(),
        type: z.enum(DEVICE_TYPES).optional(),
        eui64: z.string().max(40).optional(),
        installCode: z.string().max(300).optional(),
      })
      .strict()
      .transform(identityTransform(() => false)),
  ),
  /** Takes a device off the job with a reason (device.removed); it stays in the view, struck through. */
  'jobs:removeDevice': request<JobView>()(
    z.object({ id: jobId, deviceId, reasonCode: z.enum(DEVICE_CHANGE_REASONS), note: z.string().trim().min(1).max(500).optional() }).strict(),
  ),
  'jobs:engineer': request<EngineerView>()(z.undefined()),
  /** Remembers who is working; every later event records this name. */
  'jobs:setEngineer': request<EngineerView>()(z.object({ name: z.string().trim().min(1).max(100) }).strict()),
  'jobs:session': request<SessionView>()(z.undefined()),
  'jobs:setSession': request<SessionView>()(
    z
      .object({
        openJobId: jobId.nullable().optional(),
        screen: z
          .string()
          .regex(/^[a-z-]{1,30}$/)
          .optional(),
        theme: z.enum(['light', 'dark', 'contrast']).optional(),
        locale: z.enum(ENGINEER_LOCALES).optional(),
      })
      .strict(),
  ),
  'jobs:trainingMeterPoint': request<TrainingMeterPointView>()(z.undefined()),
  /** Trainer control: a deliberate MPAN mismatch on the training premises (null follows the visited job again). */
  'jobs:setTrainingMismatch': request<TrainingMeterPointView>()(z.object({ mpan: mpanSchema.nullable() }).strict()),
  'jobs:addNote': request<JobView>()(z.object({ id: jobId, text: z.string().trim().min(1, 'the note is empty').max(4000) }).strict()),
  'jobs:importWorkOrder': request<JobSummary>()(workOrderSchema),
};

export const jobEvents = {
  /** A job changed (created, edited, or a workflow appended to its timeline). */
  'jobs:changed': event<{ readonly id: string }>(),
};

export { DEVICE_TYPES };
