import { z } from 'zod';
import { DEVICE_CHANGE_REASONS, mbusIdentitySchema } from './device-identity';
import { eui64Schema } from './eui64';
import type { JobEvent } from './job-event';
import { addDevice, checkUniqueEui64, correctDevice, findDevice, flagUnexpected, patch, recordPairing, removeDevice } from './job-device-changes';
import {
  DEVICE_STATUSES,
  DEVICE_TYPES,
  JOB_STATUSES,
  addressSchema,
  appointmentSchema,
  deviceFieldsSchema,
  deviceIdSchema,
  deviceLabelSchema,
  installCodeSchema,
  mpanSchema,
  mprnSchema,
  premisesSchema,
  requiredText,
  secretField,
} from './job-fields';
import { defineEventKind, type EventKind, type Job, JobEventError } from './job-state';
import { surveyPositionPayload } from './rf-survey';
import { VISIT_EVENT_KINDS } from './visit-events';

// The job's parts live in job-fields.ts (what is entered), job-state.ts (the folded state), job-device-changes.ts (how
// device events apply) and job-summary.ts (the jobs table); this module keeps the event kinds and the fold, and
// re-exports the rest so importers of "./job" are unchanged.
export {
  DEVICE_STATUSES,
  DEVICE_TYPES,
  JOB_STATUSES,
  addressSchema,
  appointmentSchema,
  deviceFieldsSchema,
  deviceLabelSchema,
  installCodeSchema,
  mpanSchema,
  mprnSchema,
  premisesSchema,
  secretField,
  type DeviceInput,
  type DeviceStatus,
  type DeviceType,
  type JobStatus,
  type Premises,
  type PremisesInput,
} from './job-fields';
export {
  JobEventError,
  defineEventKind,
  nextDeviceId,
  type EventKind,
  type IhdPairing,
  type Job,
  type JobDevice,
  type JobNote,
  type DeviceRemoval,
  type RemovedDevice,
  type RevealedDevice,
  type RevealedJob,
  type UnexpectedDevice,
} from './job-state';
export { maskSecret, summariseJob, type JobSummary } from './job-summary';

const text = requiredText;

/*
 * Event kinds added for the job record (issue 8), for other workflows to use:
 * - device.added: optional `mbus` {manufacturer, id, medium, version, primary?, wireless?}; the same meter twice is refused.
 * - device.corrected {id, reason: DEVICE_CHANGE_REASONS, note?, type?, eui64?, installCode?, label?, mbus?}: fixes a
 *   device's identity with a reason; the device keeps its id and `correction` says why (history is never rewritten).
 * - device.removed: now also optional `reasonCode` (DEVICE_CHANGE_REASONS); the device moves to `job.removedDevices`
 *   with its reason instead of vanishing.
 * - ihd.paired {ihd, meter, meterType?, proven, bindingConfirmed, ihdConfirmed, reportsReceived, error?}: every pairing
 *   attempt; a proven one adds {ihd, meter, meterType} to `job.pairings` (an IHD may pair with both ESME and GSME).
 * - ihd.unpaired {ihd, meter}: removes that pairing.
 * - han.unexpected-device {eui64, deviceType?, state}: a device joined the job's network but is not on the job; listed in
 *   `job.unexpectedDevices` until a device with that EUI-64 is added to the job.
 * - verification.recorded: now also optional jobMpan, meterPointMpan and mpanMismatchConfirmed.
 */

/**
 * A job is one visit to one premises. It is event-sourced: the state is a pure fold (`applyEvent`) over its
 * append-only timeline, so the timeline is the evidence and the state can always be rebuilt from it.
 *
 * Adding an event kind (later issues: han.*, dcc.*, verification.recorded…): append a `defineEventKind(...)`
 * entry to EVENT_KINDS with a zod schema for its payload and, if it changes the job state, an `apply`.
 * Secret payload fields (installCode, keys) are written by the store as `{enc}` (see sealedSecretSchema);
 * use `secretField(...)` for them so both the plain input and the sealed stored form validate.
 */

export const jobCreatedPayload = z
  .object({
    premises: premisesSchema,
    devices: z.array(deviceFieldsSchema).max(64).default([]),
    workOrderReference: text(100).optional(),
  })
  .strict();

export const premisesUpdatedPayload = z
  .object({
    address: addressSchema.optional(),
    mpan: mpanSchema.nullable().optional(),
    mprn: mprnSchema.nullable().optional(),
    engineer: text(100).nullable().optional(),
    notes: z.string().max(4000).nullable().optional(),
    appointment: appointmentSchema.nullable().optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'premises.updated must change at least one field' });

export const deviceUpdatedPayload = z
  .object({
    id: deviceIdSchema,
    type: z.enum(DEVICE_TYPES).optional(),
    eui64: eui64Schema.nullable().optional(),
    installCode: secretField(installCodeSchema).nullable().optional(),
    status: z.enum(DEVICE_STATUSES).optional(),
    statusReason: text(500).nullable().optional(),
    label: deviceLabelSchema.nullable().optional(),
  })
  .strict();

export const deviceRemovedPayload = z
  .object({ id: deviceIdSchema, reason: text(500).optional(), reasonCode: z.enum(DEVICE_CHANGE_REASONS).optional() })
  .strict();
export const noteAddedPayload = z.object({ text: text(4000) }).strict();
export const jobStatusChangedPayload = z.object({ status: z.enum(JOB_STATUSES), reason: text(500).optional() }).strict();

const readingRecordSchema = z
  .object({
    source: z.enum(['han', 'display', 'dcc']),
    value: z.number(),
    unit: z.enum(['Wh', 'kWh']),
    valueWh: z.number(),
    resolutionWh: z.number().optional(),
    takenAt: text(40),
    reference: text(200).optional(),
  })
  .strict();
/** An end-to-end read check (HAN, display or DCC readings compared): both values, units, sources and times. */
export const verificationRecordedPayload = z
  .object({
    pass: z.boolean(),
    first: readingRecordSchema,
    second: readingRecordSchema,
    differenceWh: z.number(),
    allowedWh: z.number(),
    elapsedMs: z.number(),
    reason: text(500),
    checkedAt: text(40),
    /** The job's MPAN and the MPAN of the meter point the reading came from, when known. */
    jobMpan: text(21).optional(),
    meterPointMpan: text(21).optional(),
    /** The engineer confirmed recording although the two MPANs differ. */
    mpanMismatchConfirmed: z.boolean().optional(),
  })
  .strict();

/** HAN commissioning (timeline only): the network the job's coordinator runs. The network key never enters the job. */
export const hanNetworkPayload = z
  .object({
    action: z.enum(['formed', 'resumed', 'restored', 'adapter-lost', 'reconnected', 'stopped']),
    panId: z.number().int().min(0).max(0xffff),
    extendedPanId: z.string().regex(/^[0-9A-F]{16}$/),
    channel: z.number().int().min(11).max(26),
    adapter: text(20),
  })
  .strict();
/** HAN commissioning (timeline only): one step of a device's join and interview. */
export const hanDevicePayload = z
  .object({
    eui64: eui64Schema,
    state: z.enum(['whitelisted', 'joined', 'interviewing', 'ready', 'failed', 'refused', 'left']),
    reason: text(200).optional(),
    deviceType: text(20).optional(),
  })
  .strict();

/** A correction of a device's identity, with why; at least one field changes. */
export const deviceCorrectedPayload = z
  .object({
    id: deviceIdSchema,
    reason: z.enum(DEVICE_CHANGE_REASONS),
    note: text(500).optional(),
    type: z.enum(DEVICE_TYPES).optional(),
    eui64: eui64Schema.optional(),
    installCode: secretField(installCodeSchema).optional(),
    label: deviceLabelSchema.optional(),
    mbus: mbusIdentitySchema.optional(),
  })
  .strict()
  .refine((p) => [p.type, p.eui64, p.installCode, p.label, p.mbus].some((v) => v !== undefined), {
    message: 'a correction must change at least one of type, EUI-64, install code, label or M-Bus identity',
  });

/** One IHD pairing attempt and its proof; only a proven pairing counts in the job. */
export const ihdPairedPayload = z
  .object({
    ihd: eui64Schema,
    meter: eui64Schema,
    meterType: z.enum(['ESME', 'GSME']).optional(),
    proven: z.boolean(),
    bindingConfirmed: z.boolean(),
    ihdConfirmed: z.boolean(),
    reportsReceived: z.number().int().min(0),
    error: text(300).optional(),
  })
  .strict();
export const ihdUnpairedPayload = z.object({ ihd: eui64Schema, meter: eui64Schema }).strict();
export const hanUnexpectedDevicePayload = z
  .object({ eui64: eui64Schema, deviceType: text(20).optional(), state: z.enum(['joined', 'interviewing', 'ready']) })
  .strict();

/** Every event kind the store accepts. Later issues append theirs here. */
export const EVENT_KINDS: readonly EventKind[] = [
  // job.created has no apply here: applyEvent builds the job from it.
  defineEventKind('job.created', jobCreatedPayload),
  defineEventKind('premises.updated', premisesUpdatedPayload, (job, p) => {
    const { address, ...rest } = p;
    return { ...job, premises: patch({ ...job.premises, ...(address ? { address } : {}) }, rest) };
  }),
  defineEventKind('device.added', deviceFieldsSchema, (job, p) => addDevice(job, p)),
  defineEventKind('device.updated', deviceUpdatedPayload, (job, p) => {
    const { id, ...changes } = p;
    const device = findDevice(job, id);
    if (typeof changes.installCode === 'string') throw new JobEventError('install code must be sealed before it is applied');
    if (changes.eui64) checkUniqueEui64(job.devices, changes.eui64, id);
    const updated = patch(device, changes);
    return { ...job, devices: job.devices.map((d) => (d.id === id ? updated : d)) };
  }),
  defineEventKind('device.removed', deviceRemovedPayload, removeDevice),
  defineEventKind('note.added', noteAddedPayload, (job, p, event) => ({
    ...job,
    notes: [...job.notes, { seq: event.seq, time: event.time, engineer: event.engineer, text: p.text }],
  })),
  defineEventKind('job.status-changed', jobStatusChangedPayload, (job, p) => patch({ ...job, status: p.status }, { statusReason: p.reason ?? null })), // Timeline only: the verification record is evidence, it changes no job field.
  defineEventKind('verification.recorded', verificationRecordedPayload),
  // Timeline only: HAN network and device commissioning steps.
  defineEventKind('han.network', hanNetworkPayload),
  defineEventKind('han.device', hanDevicePayload),
  // Issue 8: the job record (see the comment at the top of this file).
  defineEventKind('device.corrected', deviceCorrectedPayload, correctDevice),
  defineEventKind('ihd.paired', ihdPairedPayload, recordPairing),
  defineEventKind('ihd.unpaired', ihdUnpairedPayload, (job, p) =>
    job.pairings ? { ...job, pairings: job.pairings.filter((x) => !(x.ihd === p.ihd && x.meter === p.meter)) } : job,
  ),
  defineEventKind('han.unexpected-device', hanUnexpectedDevicePayload, flagUnexpected),
  // Timeline only: the Comms Hub's signal at a named position (RF survey), evidence for the install report.
  defineEventKind('survey.position', surveyPositionPayload),
  // Install visit steps, answers, DCC requests and outcome (timeline only; payloads documented in visit-events.ts).
  ...VISIT_EVENT_KINDS,
];

export function findEventKind(kind: string): EventKind | undefined {
  return EVENT_KINDS.find((k) => k.kind === kind);
}

function parsePayload(kind: EventKind, payload: unknown): unknown {
  const parsed = kind.payload.safeParse(payload);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new JobEventError(`${kind.kind} payload is invalid: ${detail}`);
  }
  return parsed.data;
}

/**
 * Applies one event to a job (undefined before job.created). Pure: checks the event's place in the chain
 * (job id, seq, prevHash) but not the hash value itself, which main verifies with node:crypto.
 * Kinds this build does not know are kept in the timeline without changing the state, so a newer file
 * still loads in an older build.
 */
export function applyEvent(job: Job | undefined, event: JobEvent): Job {
  if (job === undefined) {
    if (event.kind !== 'job.created') throw new JobEventError(`the first event of a job must be job.created, not ${event.kind}`);
    if (event.seq !== 1) throw new JobEventError(`job.created must be seq 1, not ${event.seq}`);
    const payload = parsePayload(findEventKind('job.created')!, event.payload) as z.output<typeof jobCreatedPayload>;
    let created: Job = {
      id: event.jobId,
      createdAt: event.time,
      createdBy: event.engineer,
      updatedAt: event.time,
      status: 'open',
      premises: payload.premises,
      devices: [],
      notes: [],
      seq: event.seq,
      headHash: event.hash,
      devicesAdded: 0,
      timeline: [event],
      ...(payload.workOrderReference !== undefined ? { workOrderReference: payload.workOrderReference } : {}),
    };
    for (const device of payload.devices) created = addDevice(created, device);
    return created;
  }
  if (event.jobId !== job.id) throw new JobEventError(`event for job ${event.jobId} cannot apply to job ${job.id}`);
  if (event.seq !== job.seq + 1) throw new JobEventError(`event seq ${event.seq} does not follow ${job.seq}`);
  if (event.prevHash !== job.headHash) throw new JobEventError(`event seq ${event.seq} does not chain to the previous event's hash`);
  if (event.kind === 'job.created') throw new JobEventError(`job ${job.id} already exists`);
  const kind = findEventKind(event.kind);
  const next = kind?.apply ? kind.apply(job, parsePayload(kind, event.payload), event) : job;
  return { ...next, seq: event.seq, headHash: event.hash, updatedAt: event.time, timeline: [...job.timeline, event] };
}

/** Folds a whole timeline. */
export function foldJob(events: readonly JobEvent[]): Job | undefined {
  return events.reduce<Job | undefined>((job, event) => applyEvent(job, event), undefined);
}
