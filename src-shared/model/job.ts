import { z } from 'zod';
import { DEVICE_CHANGE_REASONS, type DeviceChangeReason, type MbusIdentity, mbusIdentitySchema, sameMbusMeter } from './device-identity';
import { eui64Schema } from './eui64';
import { parseInstallCode } from './install-code';
import { type JobEvent, type SealedSecret, sealedSecretSchema } from './job-event';
import { normaliseMpan, parseMpan } from './mpan';
import { parseMprn } from './mprn';
import { VISIT_EVENT_KINDS } from './visit-events';

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

export const DEVICE_TYPES = ['ESME', 'GSME', 'IHD', 'PPMID', 'CHF', 'GPF', 'MBUS', 'OTHER'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** Where a device is in the visit: listed on the work order, fitted, on the HAN, commissioned, or failed. */
export const DEVICE_STATUSES = ['expected', 'installed', 'joined', 'commissioned', 'failed'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export const JOB_STATUSES = ['open', 'completed', 'aborted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Thrown by applyEvent when an event cannot apply to the job (unknown device, duplicate EUI-64…). */
export class JobEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobEventError';
  }
}

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const mpanSchema = z.string().transform((value, ctx) => {
  const result = parseMpan(value);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.error, input: value });
    return z.NEVER;
  }
  return normaliseMpan(value);
});

export const mprnSchema = z.string().transform((value, ctx) => {
  const result = parseMprn(value);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.error, input: value });
    return z.NEVER;
  }
  return result.value;
});

/** An install code as typed or scanned; stored canonically as code + CRC in upper-case hex. */
export const installCodeSchema = z.string().transform((value, ctx) => {
  const result = parseInstallCode(value);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.error.message, input: value });
    return z.NEVER;
  }
  return result.value.installCode + result.value.crc;
});

/**
 * A secret payload field: plain text on input (validated by `plain`), `{enc}` once the store has sealed it.
 * Not a z.union, so a bad install code reports its own message rather than "Invalid input".
 */
export function secretField(plain: z.ZodType<string, string>) {
  return z.unknown().transform((value, ctx): SealedSecret | string => {
    const schema: z.ZodType<SealedSecret | string> = typeof value === 'object' && value !== null ? sealedSecretSchema : plain;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: value });
    return z.NEVER;
  });
}

/** Free-text labels must not carry the install code (a scanned "Z:…$I:…" label would put it in plain text). */
export const deviceLabelSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((value) => !/\$I:/i.test(value), { message: 'label must not contain the install code; enter the code in its own field' });

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date and time, e.g. 2026-11-27T09:00:00Z' });

export const appointmentSchema = z
  .object({ start: isoTime, end: isoTime.optional() })
  .strict()
  .refine((a) => a.end === undefined || Date.parse(a.end) >= Date.parse(a.start), {
    message: 'appointment end must not be before its start',
    path: ['end'],
  });

export const addressSchema = z
  .object({
    line1: text(200),
    line2: text(200).optional(),
    town: text(100),
    postcode: text(10),
  })
  .strict();

export const premisesSchema = z
  .object({
    address: addressSchema,
    mpan: mpanSchema.optional(),
    mprn: mprnSchema.optional(),
    /** The engineer the visit is assigned to (each event also records who made it). */
    engineer: text(100).optional(),
    /** Access and site notes, e.g. "meter in the cellar". */
    notes: z.string().max(4000).optional(),
    appointment: appointmentSchema.optional(),
  })
  .strict();
export type Premises = z.output<typeof premisesSchema>;
export type PremisesInput = z.input<typeof premisesSchema>;

const deviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'device id may use letters, digits, "-" and "_"');

export const deviceFieldsSchema = z
  .object({
    /** Assigned by the store when absent ("D1", "D2"…). */
    id: deviceIdSchema.optional(),
    type: z.enum(DEVICE_TYPES),
    /** Unknown until the device is on site when it comes from a work order. */
    eui64: eui64Schema.optional(),
    installCode: secretField(installCodeSchema).optional(),
    status: z.enum(DEVICE_STATUSES).default('expected'),
    label: deviceLabelSchema.optional(),
    /** M-Bus meters: their identity from the telegram header. */
    mbus: mbusIdentitySchema.optional(),
  })
  .strict();
export type DeviceInput = z.input<typeof deviceFieldsSchema>;

export interface JobDevice {
  readonly id: string;
  readonly type: DeviceType;
  readonly eui64?: string;
  /** Sealed in the store; `RevealedJob` carries it in plain text for use (never for display or export). */
  readonly installCode?: { readonly enc: string };
  readonly status: DeviceStatus;
  readonly statusReason?: string;
  readonly label?: string;
  readonly mbus?: MbusIdentity;
  /** The last device.corrected: why and when (the earlier values stay in the timeline). */
  readonly correction?: { readonly reason: DeviceChangeReason; readonly note?: string; readonly seq: number };
}

/** A device taken off the job, kept with why (struck through in the job view). */
export interface RemovedDevice extends JobDevice {
  readonly removal: {
    readonly reason?: string;
    readonly reasonCode?: DeviceChangeReason;
    readonly seq: number;
    readonly time: string;
    readonly engineer: string;
  };
}

/** A proven IHD pairing. */
export interface IhdPairing {
  readonly ihd: string;
  readonly meter: string;
  readonly meterType?: 'ESME' | 'GSME';
  readonly seq: number;
}

/** A device that joined the job's network without being on the job. */
export interface UnexpectedDevice {
  readonly eui64: string;
  readonly deviceType?: string;
  readonly seq: number;
  readonly time: string;
}

export interface JobNote {
  readonly seq: number;
  readonly time: string;
  readonly engineer: string;
  readonly text: string;
}

export interface Job {
  readonly id: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly status: JobStatus;
  readonly statusReason?: string;
  readonly workOrderReference?: string;
  readonly premises: Premises;
  readonly devices: readonly JobDevice[];
  readonly notes: readonly JobNote[];
  /** Seq and hash of the last event applied. */
  readonly seq: number;
  readonly headHash: string;
  /** Counter behind store-assigned device ids, so ids are never reused after a removal. */
  readonly devicesAdded: number;
  readonly timeline: readonly JobEvent[];
  readonly removedDevices?: readonly RemovedDevice[];
  readonly pairings?: readonly IhdPairing[];
  readonly unexpectedDevices?: readonly UnexpectedDevice[];
}

/** A device with its install code decrypted, for the workflows that need it. */
export type RevealedDevice = Omit<JobDevice, 'installCode'> & { readonly installCode?: string };
export type RevealedJob = Omit<Job, 'devices'> & { readonly devices: readonly RevealedDevice[] };

export interface EventKind {
  readonly kind: string;
  readonly payload: z.ZodType;
  /** Applies a payload already parsed by `payload`. Omitted for kinds that only add to the timeline. */
  readonly apply?: (job: Job, payload: unknown, event: JobEvent) => Job;
}

/** Declares an event kind with a typed apply. */
export function defineEventKind<S extends z.ZodType>(kind: string, payload: S, apply?: (job: Job, payload: z.output<S>, event: JobEvent) => Job): EventKind {
  return apply ? { kind, payload, apply: (job, parsed, event) => apply(job, parsed as z.output<S>, event) } : { kind, payload };
}

/** The next store-assigned device id. */
export function nextDeviceId(job: Pick<Job, 'devicesAdded'> | undefined): string {
  return `D${(job?.devicesAdded ?? 0) + 1}`;
}

function findDevice(job: Job, id: string): JobDevice {
  const device = job.devices.find((d) => d.id === id);
  if (!device) throw new JobEventError(`job ${job.id} has no device ${id}`);
  return device;
}

function checkUniqueEui64(devices: readonly JobDevice[], eui64: string | undefined, exceptId?: string): void {
  if (eui64 === undefined) return;
  const other = devices.find((d) => d.eui64 === eui64 && d.id !== exceptId);
  if (other) throw new JobEventError(`EUI-64 ${eui64} is already device ${other.id} (${other.type}) on this job`);
}

function checkUniqueMbus(devices: readonly JobDevice[], mbus: MbusIdentity | undefined, exceptId: string | undefined): void {
  if (mbus === undefined) return;
  const other = devices.find((d) => d.mbus !== undefined && d.id !== exceptId && sameMbusMeter(d.mbus, mbus));
  if (other) throw new JobEventError(`M-Bus meter ${mbus.manufacturer} ${mbus.id} is already device ${other.id} on this job`);
}

function addDevice(job: Job, input: z.output<typeof deviceFieldsSchema>): Job {
  const id = input.id ?? nextDeviceId(job);
  if (job.devices.some((d) => d.id === id)) throw new JobEventError(`job ${job.id} already has a device ${id}`);
  checkUniqueEui64(job.devices, input.eui64, undefined);
  checkUniqueMbus(job.devices, input.mbus, undefined);
  if (typeof input.installCode === 'string') throw new JobEventError('install code must be sealed before it is applied');
  const device: JobDevice = {
    id,
    type: input.type,
    status: input.status,
    ...(input.eui64 !== undefined ? { eui64: input.eui64 } : {}),
    ...(input.installCode !== undefined ? { installCode: input.installCode } : {}),
    ...(input.label !== undefined ? { label: input.label } : {}),
    ...(input.mbus !== undefined ? { mbus: input.mbus } : {}),
  };
  const unexpected = job.unexpectedDevices?.filter((u) => u.eui64 !== input.eui64);
  return { ...job, devices: [...job.devices, device], devicesAdded: job.devicesAdded + 1, ...(unexpected ? { unexpectedDevices: unexpected } : {}) };
}

/** Removes keys whose value is null (a patch clears them) and applies the rest. */
function patch<T extends object>(base: T, changes: Record<string, unknown>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out as T;
}

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

function correctDevice(job: Job, p: z.output<typeof deviceCorrectedPayload>, event: JobEvent): Job {
  const { id, reason, note, ...changes } = p;
  const device = findDevice(job, id);
  if (typeof changes.installCode === 'string') throw new JobEventError('install code must be sealed before it is applied');
  if (changes.eui64) checkUniqueEui64(job.devices, changes.eui64, id);
  checkUniqueMbus(job.devices, changes.mbus, id);
  const corrected: JobDevice = { ...patch(device, changes), correction: { reason, ...(note !== undefined ? { note } : {}), seq: event.seq } };
  return { ...job, devices: job.devices.map((d) => (d.id === id ? corrected : d)) };
}

function removeDevice(job: Job, p: z.output<typeof deviceRemovedPayload>, event: JobEvent): Job {
  const device = findDevice(job, p.id);
  const removal = {
    seq: event.seq,
    time: event.time,
    engineer: event.engineer,
    ...(p.reason !== undefined ? { reason: p.reason } : {}),
    ...(p.reasonCode !== undefined ? { reasonCode: p.reasonCode } : {}),
  };
  const pairings = job.pairings?.filter((x) => x.ihd !== device.eui64 && x.meter !== device.eui64);
  return {
    ...job,
    devices: job.devices.filter((d) => d.id !== p.id),
    removedDevices: [...(job.removedDevices ?? []), { ...device, removal }],
    ...(pairings ? { pairings } : {}),
  };
}

function recordPairing(job: Job, p: z.output<typeof ihdPairedPayload>, event: JobEvent): Job {
  if (!p.proven) return job;
  const others = (job.pairings ?? []).filter((x) => !(x.ihd === p.ihd && x.meter === p.meter));
  return { ...job, pairings: [...others, { ihd: p.ihd, meter: p.meter, ...(p.meterType ? { meterType: p.meterType } : {}), seq: event.seq }] };
}

function flagUnexpected(job: Job, p: z.output<typeof hanUnexpectedDevicePayload>, event: JobEvent): Job {
  if (job.devices.some((d) => d.eui64 === p.eui64)) return job;
  const others = (job.unexpectedDevices ?? []).filter((u) => u.eui64 !== p.eui64);
  const earlier = job.unexpectedDevices?.find((u) => u.eui64 === p.eui64);
  const deviceType = p.deviceType ?? earlier?.deviceType;
  return {
    ...job,
    unexpectedDevices: [
      ...others,
      { eui64: p.eui64, ...(deviceType ? { deviceType } : {}), seq: earlier?.seq ?? event.seq, time: earlier?.time ?? event.time },
    ],
  };
}

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
  // Install visit steps, answers, DCC requests and outcome (timeline only; payloads documented in visit-events.ts).
  ...VISIT_EVENT_KINDS,
  // Issue 8: the job record (see the comment at the top of this file).
  defineEventKind('device.corrected', deviceCorrectedPayload, correctDevice),
  defineEventKind('ihd.paired', ihdPairedPayload, recordPairing),
  defineEventKind('ihd.unpaired', ihdUnpairedPayload, (job, p) =>
    job.pairings ? { ...job, pairings: job.pairings.filter((x) => !(x.ihd === p.ihd && x.meter === p.meter)) } : job,
  ),
  defineEventKind('han.unexpected-device', hanUnexpectedDevicePayload, flagUnexpected),
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
