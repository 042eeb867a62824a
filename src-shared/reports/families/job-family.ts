import type { z } from 'zod';
import {
  deviceFieldsSchema,
  deviceRemovedPayload,
  deviceUpdatedPayload,
  jobCreatedPayload,
  jobStatusChangedPayload,
  noteAddedPayload,
  premisesUpdatedPayload,
} from '../../model/job';
import { deviceById, type DraftDevice, type EventFamily, type MapperContext, type ReportDraft } from '../report-draft';

/** job.*, premises.*, device.* and note.*: who, where, which devices, and how the job ended. */

function addDevice(draft: ReportDraft, input: z.output<typeof deviceFieldsSchema>, context: MapperContext): void {
  const device: DraftDevice = { type: input.type, listed: true, status: input.status, stages: {} };
  if (input.id !== undefined) device.id = input.id;
  if (input.eui64 !== undefined) device.eui64 = input.eui64;
  if (input.label !== undefined) device.label = context.text(input.label);
  if (input.installCode !== undefined) device.installCode = context.maskSecret(input.installCode);
  if (input.mbus !== undefined) device.mbus = { ...input.mbus };
  draft.devices.push(device);
}

function setOrClear<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null | undefined): void {
  if (value === undefined) return;
  if (value === null) delete target[key];
  else target[key] = value;
}

export const jobFamily: EventFamily = {
  'job.created': (draft, payload, context) => {
    const created = jobCreatedPayload.parse(payload);
    const { event } = context;
    draft.job = { id: event.jobId, createdAt: event.time, createdBy: event.engineer, status: 'open' };
    if (created.workOrderReference !== undefined) draft.job.workOrderReference = context.text(created.workOrderReference);
    const { address, mpan, mprn, engineer, notes, appointment } = created.premises;
    draft.premises = { address: { ...address } };
    if (mpan !== undefined) draft.premises.mpan = mpan;
    if (mprn !== undefined) draft.premises.mprn = mprn;
    if (notes !== undefined) draft.premises.siteNotes = context.text(notes);
    if (appointment !== undefined) draft.premises.appointment = { ...appointment };
    if (engineer !== undefined) draft.engineer.assigned = engineer;
    let next = 0;
    for (const device of created.devices) addDevice(draft, { ...device, id: device.id ?? `D${++next}` }, context);
  },
  'premises.updated': (draft, payload, context) => {
    const changes = premisesUpdatedPayload.parse(payload);
    if (changes.address) draft.premises.address = { ...changes.address };
    setOrClear(draft.premises, 'mpan', changes.mpan);
    setOrClear(draft.premises, 'mprn', changes.mprn);
    setOrClear(draft.premises, 'siteNotes', changes.notes === undefined || changes.notes === null ? changes.notes : context.text(changes.notes));
    setOrClear(draft.premises, 'appointment', changes.appointment);
    setOrClear(draft.engineer, 'assigned', changes.engineer);
  },
  'device.added': (draft, payload, context) => addDevice(draft, deviceFieldsSchema.parse(payload), context),
  'device.updated': (draft, payload, context) => {
    const { id, installCode, label, statusReason, ...changes } = deviceUpdatedPayload.parse(payload);
    const device = deviceById(draft, id);
    if (!device) return;
    if (changes.type !== undefined) device.type = changes.type;
    setOrClear(device, 'eui64', changes.eui64);
    setOrClear(device, 'installCode', installCode === undefined || installCode === null ? installCode : context.maskSecret(installCode));
    setOrClear(device, 'label', label === undefined || label === null ? label : context.text(label));
    if (changes.status !== undefined) device.status = changes.status;
    setOrClear(device, 'statusReason', statusReason === undefined || statusReason === null ? statusReason : context.text(statusReason));
    if (changes.status === 'commissioned') device.stages.commission = { outcome: 'ok', at: context.event.time };
  },
  'device.removed': (draft, payload, context) => {
    const { id, reason, reasonCode } = deviceRemovedPayload.parse(payload);
    const device = deviceById(draft, id);
    if (!device) return;
    device.status = 'removed';
    device.removed = {
      at: context.event.time,
      ...(reason !== undefined ? { reason: context.text(reason) } : {}),
      ...(reasonCode !== undefined ? { reasonCode } : {}),
    };
  },
  'note.added': (draft, payload, context) => {
    const { text } = noteAddedPayload.parse(payload);
    draft.notes.push({ seq: context.event.seq, at: context.event.time, engineer: context.event.engineer, text: context.text(text) });
  },
  'job.status-changed': (draft, payload, context) => {
    const { status, reason } = jobStatusChangedPayload.parse(payload);
    draft.job.status = status;
    setOrClear(draft.job, 'statusReason', reason === undefined ? null : context.text(reason));
    // The visit's outcome, unless a visit.outcome event says more (build-report.ts decides).
    if (status === 'open') delete draft.jobOutcome;
    else
      draft.jobOutcome = {
        seq: context.event.seq,
        at: context.event.time,
        outcome: status,
        ...(reason !== undefined ? { reason: context.text(reason) } : {}),
      };
  },
};
