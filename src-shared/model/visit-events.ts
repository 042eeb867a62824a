import { z } from 'zod';
import { eui64Schema } from './eui64';
import type { EventKind } from './job';
import {
  ABORT_REASONS,
  CHF_CONNECTION_METHODS,
  CHF_FAULT_REASONS,
  CHF_FAULT_RETURN_TYPES,
  CHF_LOCATIONS,
  PREMISE_TYPES,
  READ_METHODS,
  SKIP_REASON_CODES,
  VISIT_OUTCOMES,
  VISIT_ROUTES,
  VISIT_STEP_KINDS,
} from './visit-vocabulary';

/**
 * The install visit's job events. The visit lives in the job's hash-chained timeline, and the install report is
 * built from these events alone, so every fact an auditor needs is in a payload: what each step did, what the
 * engineer typed, every DCC request with its RequestID and response code, faults, skips (always with a reason)
 * and the outcome. All kinds are timeline-only (no `apply`): the job's state is changed by the ordinary kinds
 * the runner writes beside them (device.updated, job.status-changed).
 *
 * Common fields: `visitId` ties events to one visit (a job may be visited again after an abort); `step` is a
 * VISIT_STEP_KINDS value and `deviceId` the job device id for per-device steps (whitelist:D1, join:D2 …);
 * `attempt` counts from 1 and grows with every retry of the same step. Install codes and keys never appear here
 * (they stay sealed in device.added / device.updated); no raw GBCS/ZCL hex either.
 */

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const visitId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'visit id may use letters, digits, "-" and "_"');
const deviceId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
const isoTime = z.iso.datetime({ offset: true });

const stepRef = {
  visitId,
  step: z.enum(VISIT_STEP_KINDS),
  deviceId: deviceId.optional(),
};

/** A reading as the visit recorded it: value in the unit shown/read, Wh when it is energy, and where it came from. */
export const visitReadingSchema = z
  .object({
    value: z.number(),
    unit: z.enum(['Wh', 'kWh', 'm3', 'ft3']),
    /** Present for electricity (and gas when converted); absent for volumes. */
    valueWh: z.number().optional(),
    source: z.enum(['han', 'display', 'dcc', 'mbus', 'optical']),
    takenAt: isoTime,
    /** Register or request it came from, e.g. "ZCL Metering CurrentSummationDelivered" or a RequestID. */
    reference: text(200).optional(),
  })
  .strict();
export type VisitReading = z.output<typeof visitReadingSchema>;

/**
 * visit.started — the visit began on a route. `unattended` marks `hantool install run` (no person at the
 * keyboard: judgement steps are skipped with "unattended run").
 */
export const visitStartedPayload = z.object({ visitId, route: z.enum(VISIT_ROUTES), unattended: z.boolean().default(false) }).strict();

/** visit.step-started — the runner is about to perform a step; `action` says in words what it will do. */
export const visitStepStartedPayload = z.object({ ...stepRef, attempt: z.number().int().min(1), action: text(300) }).strict();

/**
 * visit.step-result — what a step achieved. `result`: done; failed (with `reason`, and `failureCode` such as a
 * JOIN_FAILURE_REASONS value or a DUIS response code like "E20"); pending (the step cannot finish today, e.g.
 * 8.1.1 where the DCC side does not support critical requests — the visit ends commissioned-pending).
 * Optional facts: the device's EUI-64, a reading, link quality, the RequestIDs involved, and a few named
 * details (e.g. `{ panId: 4660, channel: 15 }`, `{ manufacturer: "…", firmware: "…" }`).
 */
export const visitStepResultPayload = z
  .object({
    ...stepRef,
    attempt: z.number().int().min(1),
    result: z.enum(['done', 'failed', 'pending']),
    summary: text(500),
    reason: text(500).optional(),
    failureCode: text(60).optional(),
    eui64: eui64Schema.optional(),
    reading: visitReadingSchema.optional(),
    linkQuality: z
      .object({ lqi: z.number().int().min(0).max(255).optional(), rssi: z.number().int().min(-127).max(20).optional() })
      .strict()
      .optional(),
    requestIds: z.array(text(80)).max(20).optional(),
    details: z.record(z.string().max(40), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
  })
  .strict()
  .refine((p) => p.result === 'done' || p.reason !== undefined, { message: 'a failed or pending step needs a reason', path: ['reason'] });

/** visit.step-skipped — a step not performed. Never without a reason: `reason` in words, `reasonCode` to group. */
export const visitStepSkippedPayload = z.object({ ...stepRef, reason: text(500), reasonCode: z.enum(SKIP_REASON_CODES) }).strict();

/**
 * visit.step-fault — a fault the engineer recorded on a step. `faultKind` comms-hub carries DUIS 8.14.3 fields
 * (CHFFaultReason, CHFFaultReturnType, CHFConnectionMethod, IncidentReference ≤ 15); device and site faults are
 * free text. `observedAt` is when it was seen (the event time is when it was recorded).
 */
export const visitStepFaultPayload = z
  .object({
    ...stepRef,
    faultKind: z.enum(['comms-hub', 'device', 'site']),
    chfFaultReason: z.enum(CHF_FAULT_REASONS).optional(),
    chfFaultReturnType: z.enum(CHF_FAULT_RETURN_TYPES).optional(),
    chfConnectionMethod: z.enum(CHF_CONNECTION_METHODS).optional(),
    incidentReference: text(15).optional(),
    text: text(500),
    observedAt: isoTime.optional(),
  })
  .strict()
  .refine((p) => p.faultKind !== 'comms-hub' || p.chfFaultReason !== undefined, {
    message: 'a Comms Hub fault needs its 8.14.3 fault reason',
    path: ['chfFaultReason'],
  });

/**
 * visit.step-interrupted — written on resume for a step that was in flight when the app stopped.
 * `sideEffect` is what reconciliation with the DCC outbox / HAN state found: `none` (safe to retry), `completed`
 * (it happened: not repeated, the step's result follows), `unknown` (e.g. a DCC request on the wire: the engineer
 * decides). `reconciliation` says that in words.
 */
export const visitStepInterruptedPayload = z
  .object({ ...stepRef, attempt: z.number().int().min(1), sideEffect: z.enum(['none', 'completed', 'unknown']), reconciliation: text(500) })
  .strict();

const removedMeterAnswers = z
  .object({
    form: z.literal('removed-meter'),
    fuel: z.enum(['electricity', 'gas']),
    serial: text(40),
    finalReading: z.object({ value: z.number().min(0), unit: z.enum(['kWh', 'm3', 'ft3']) }).strict(),
    readMethod: z.enum(READ_METHODS),
    notes: text(500).optional(),
  })
  .strict();

/** What the engineer types about the Comms Hub: the 8.14.1 / 8.14.2 fields (domain reference §12). */
const commsHubAnswers = z
  .object({
    form: z.literal('comms-hub'),
    chfId: eui64Schema,
    connectionMethod: z.enum(CHF_CONNECTION_METHODS),
    location: z.enum(CHF_LOCATIONS),
    premiseType: z.enum(PREMISE_TYPES),
    aerialInstall: z.boolean(),
    wanAvailable: z.boolean(),
    metalObstructionCheck: z.boolean().optional(),
    connectivityObstructionCheck: z.boolean().optional(),
    sharedObstructionCheck: z.boolean().optional(),
    gisData: text(25).optional(),
    additionalInformation: text(200).optional(),
  })
  .strict();

/** The visit's answer forms, one per kind of thing a person enters. */
export const visitAnswersSchema = z.discriminatedUnion('form', [
  z
    .object({
      form: z.literal('pre-checks'),
      jobDetailsConfirmed: z.boolean(),
      mpanConfirmed: z.boolean().optional(),
      mprnConfirmed: z.boolean().optional(),
      notes: text(500).optional(),
    })
    .strict(),
  removedMeterAnswers,
  commsHubAnswers,
  /** A device identified on site (scanned or typed label). The install code goes to device.updated, sealed. */
  z.object({ form: z.literal('device-identified'), deviceId, eui64: eui64Schema, source: z.enum(['scanned', 'typed', 'premises-label']) }).strict(),
  z.object({ form: z.literal('display-reading'), deviceId: deviceId.optional(), value: z.number().min(0), unit: z.enum(['kWh', 'Wh', 'm3']) }).strict(),
  z
    .object({
      form: z.literal('rf-survey-position'),
      position: text(100),
      lqi: z.number().int().min(0).max(255).optional(),
      rssi: z.number().int().min(-127).max(20).optional(),
      channel: z.number().int().min(11).max(26).optional(),
    })
    .strict(),
  z.object({ form: z.literal('ihd-pairing-check'), showsElectricity: z.boolean(), showsGas: z.boolean().optional(), notes: text(500).optional() }).strict(),
  z.object({ form: z.literal('note'), text: text(1000) }).strict(),
]);
export type VisitAnswers = z.output<typeof visitAnswersSchema>;
export type VisitAnswersInput = z.input<typeof visitAnswersSchema>;

/** visit.answers — what a person entered at a step (or, unattended, what the premises supplied). */
export const visitAnswersPayload = z.object({ ...stepRef, answers: visitAnswersSchema }).strict();

/**
 * dcc.request — a DCC service request made for this job, written when it is submitted and again at each state
 * change (so the timeline shows queued → acknowledged → completed/failed). Keyed by `requestId` (the full DUIS
 * RequestID, e.g. "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000"). `verdicts`: `signature` of the
 * DCC's reply (verified / invalid / none yet) and `result` (success, acknowledged, error, no-response, queued,
 * not-supported when the DCC side cannot do the request, e.g. critical 8.1.1 on the training simulator).
 */
export const dccRequestPayload = z
  .object({
    visitId: visitId.optional(),
    step: z.enum(VISIT_STEP_KINDS).optional(),
    deviceId: deviceId.optional(),
    requestId: text(120),
    serviceRequest: z.string().regex(/^\d+(\.\d+)+$/, 'service request like "8.11"'),
    name: text(100),
    commandVariant: z.number().int().min(1).max(8).optional(),
    targetId: text(40).optional(),
    state: z.enum(['queued', 'acknowledged', 'completed', 'rejected', 'failed', 'timed-out', 'signature-invalid', 'not-supported']),
    responseCode: text(10).optional(),
    responseMeaning: text(200).optional(),
    verdicts: z
      .object({
        signature: z.enum(['verified', 'invalid', 'none']),
        result: z.enum(['success', 'acknowledged', 'error', 'no-response', 'queued', 'not-supported']),
      })
      .strict(),
    lastError: text(500).optional(),
    submittedAt: isoTime.optional(),
    completedAt: isoTime.optional(),
  })
  .strict();

/**
 * visit.outcome — how the visit ended. `reason` in words; `abortReason` (ABORT_REASONS) required for aborted;
 * `pending` lists what is still owed (e.g. "8.1.1 commission ESME D1") for commissioned-pending and
 * install-and-leave.
 */
export const visitOutcomePayload = z
  .object({
    visitId,
    outcome: z.enum(VISIT_OUTCOMES),
    reason: text(500),
    abortReason: z.enum(ABORT_REASONS).optional(),
    pending: z.array(text(200)).max(40).optional(),
  })
  .strict()
  .refine((p) => p.outcome !== 'aborted' || p.abortReason !== undefined, { message: 'an aborted visit needs its abort reason', path: ['abortReason'] });

/** The visit's kinds, appended to EVENT_KINDS in job.ts. Plain objects so this module imports nothing from job.ts at run time. */
export const VISIT_EVENT_KINDS: readonly EventKind[] = [
  { kind: 'visit.started', payload: visitStartedPayload },
  { kind: 'visit.step-started', payload: visitStepStartedPayload },
  { kind: 'visit.step-result', payload: visitStepResultPayload },
  { kind: 'visit.step-skipped', payload: visitStepSkippedPayload },
  { kind: 'visit.step-fault', payload: visitStepFaultPayload },
  { kind: 'visit.step-interrupted', payload: visitStepInterruptedPayload },
  { kind: 'visit.answers', payload: visitAnswersPayload },
  { kind: 'dcc.request', payload: dccRequestPayload },
  { kind: 'visit.outcome', payload: visitOutcomePayload },
];

export type VisitStartedPayload = z.output<typeof visitStartedPayload>;
export type VisitStepStartedPayload = z.output<typeof visitStepStartedPayload>;
export type VisitStepResultPayload = z.output<typeof visitStepResultPayload>;
export type VisitStepSkippedPayload = z.output<typeof visitStepSkippedPayload>;
export type VisitStepFaultPayload = z.output<typeof visitStepFaultPayload>;
export type VisitStepInterruptedPayload = z.output<typeof visitStepInterruptedPayload>;
export type VisitAnswersPayload = z.output<typeof visitAnswersPayload>;
export type DccRequestPayload = z.output<typeof dccRequestPayload>;
export type VisitOutcomePayload = z.output<typeof visitOutcomePayload>;
