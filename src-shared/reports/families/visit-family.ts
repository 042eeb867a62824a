import {
  visitAnswersPayload,
  visitOutcomePayload,
  visitStartedPayload,
  visitStepFaultPayload,
  visitStepInterruptedPayload,
  visitStepResultPayload,
  visitStepSkippedPayload,
} from '../../model/visit-events';
import type { VisitStepKind } from '../../model/visit-vocabulary';
import { deviceById, stage, type DraftDevice, type EventFamily, type MapperContext, type ReportDraft } from '../report-draft';
import type { DeviceStage, StageOutcome } from '../report-model';

/** visit.*: the install visit's route, steps, answers (Comms Hub, removed meters, survey…), faults and outcome. */

/** Which device stage a per-device step is. */
const STEP_STAGE: Partial<Record<VisitStepKind, DeviceStage>> = {
  whitelist: 'whitelist',
  'device-log': 'whitelist',
  'await-join': 'join',
  join: 'join',
  'join-service': 'join',
  interview: 'interview',
  commission: 'commission',
};

const RESULT_OUTCOME: Record<'done' | 'failed' | 'pending', StageOutcome> = { done: 'ok', failed: 'failed', pending: 'pending' };

const stepName = (step: string, deviceId: string | undefined): string => (deviceId ? `${step}:${deviceId}` : step);

function stepDevice(draft: ReportDraft, deviceId: string | undefined): DraftDevice | undefined {
  return deviceId === undefined ? undefined : deviceById(draft, deviceId);
}

function answers(draft: ReportDraft, payload: Record<string, unknown>, context: MapperContext): void {
  const { step, deviceId, answers: a } = visitAnswersPayload.parse(payload);
  const { seq, time: at } = context.event;
  switch (a.form) {
    case 'removed-meter':
      draft.removedMeters.push({
        seq,
        at,
        serial: context.text(a.serial),
        fuel: a.fuel,
        finalReading: { value: a.finalReading.value, unit: a.finalReading.unit, readBy: a.readMethod },
        ...(a.notes !== undefined ? { reason: context.text(a.notes) } : {}),
      });
      break;
    case 'comms-hub':
      draft.commsHub = {
        deviceId: a.chfId,
        installType: a.wanAvailable ? 'New' : 'CHF Install – no SM WAN',
        connectionMethod: a.connectionMethod,
        location: a.location,
        premisesType: a.premiseType,
        aerial: a.aerialInstall ? 'aerial fitted' : 'no aerial',
        ...(a.additionalInformation !== undefined ? { additionalInformation: context.text(a.additionalInformation) } : {}),
        recordedAt: at,
      };
      break;
    case 'device-identified': {
      const device = deviceById(draft, a.deviceId);
      if (device) device.eui64 = a.eui64;
      break;
    }
    case 'display-reading': {
      const eui64 = stepDevice(draft, a.deviceId ?? deviceId)?.eui64;
      draft.readings.push({ seq, source: 'display', value: a.value, unit: a.unit, takenAt: at, ...(eui64 ? { deviceEui64: eui64 } : {}) });
      break;
    }
    case 'rf-survey-position':
      draft.rfSurvey.push({
        seq,
        at,
        position: context.text(a.position),
        ...(a.lqi !== undefined ? { lqi: a.lqi } : {}),
        ...(a.rssi !== undefined ? { rssi: a.rssi } : {}),
        ...(a.channel !== undefined ? { note: `channel ${a.channel}` } : {}),
      });
      break;
    case 'ihd-pairing-check': {
      const shows = [
        `electricity ${a.showsElectricity ? 'shown' : 'NOT shown'}`,
        ...(a.showsGas === undefined ? [] : [`gas ${a.showsGas ? 'shown' : 'NOT shown'}`]),
      ];
      draft.visit.steps.push({
        seq,
        at,
        step: stepName(step, deviceId),
        result: 'checked',
        detail: [...shows, ...(a.notes ? [context.text(a.notes)] : [])].join('; '),
      });
      break;
    }
    case 'pre-checks':
      draft.visit.steps.push({
        seq,
        at,
        step: stepName(step, deviceId),
        result: a.jobDetailsConfirmed ? 'confirmed' : 'not confirmed',
        detail: [
          a.mpanConfirmed === undefined ? '' : `MPAN ${a.mpanConfirmed ? 'confirmed' : 'not confirmed'}`,
          a.mprnConfirmed === undefined ? '' : `MPRN ${a.mprnConfirmed ? 'confirmed' : 'not confirmed'}`,
          a.notes ? context.text(a.notes) : '',
        ]
          .filter(Boolean)
          .join('; '),
      });
      break;
    case 'note':
      draft.notes.push({ seq, at, engineer: context.event.engineer, text: context.text(a.text) });
      break;
  }
}

export const visitFamily: EventFamily = {
  'visit.started': (draft, payload, context) => {
    const { route, unattended } = visitStartedPayload.parse(payload);
    draft.visit.route = route;
    draft.routeRecorded = true;
    // A new visit after an aborted one starts again: its own outcome decides.
    delete draft.visitOutcome;
    draft.visit.steps.push({
      seq: context.event.seq,
      at: context.event.time,
      step: 'visit',
      result: 'started',
      detail: `${route}${unattended ? ', unattended run' : ''}`,
    });
  },
  'visit.step-result': (draft, payload, context) => {
    const p = visitStepResultPayload.parse(payload);
    const { seq, time: at } = context.event;
    const reason = p.reason === undefined ? undefined : context.text(p.reason);
    const detail = [context.text(p.summary), reason, p.failureCode].filter(Boolean).join(' · ');
    draft.visit.steps.push({ seq, at, step: stepName(p.step, p.deviceId), result: p.result, detail });
    const device = stepDevice(draft, p.deviceId);
    if (device) {
      const stageName = STEP_STAGE[p.step];
      if (stageName) device.stages[stageName] = stage(RESULT_OUTCOME[p.result], at, reason);
      if (p.eui64 && !device.eui64) device.eui64 = p.eui64;
      if (p.linkQuality) device.linkQuality = { ...p.linkQuality };
      const details = p.details ?? {};
      for (const key of ['manufacturer', 'model', 'firmware'] as const) if (typeof details[key] === 'string') device[key] = context.text(details[key]);
    }
    if (p.reading) {
      const eui64 = p.eui64 ?? device?.eui64;
      const { reading } = p;
      draft.readings.push({
        seq,
        source: reading.source,
        value: reading.value,
        unit: reading.unit,
        ...(reading.valueWh !== undefined ? { valueWh: reading.valueWh } : {}),
        takenAt: reading.takenAt,
        ...(eui64 ? { deviceEui64: eui64 } : {}),
        ...(reading.reference !== undefined ? { reference: context.text(reading.reference) } : {}),
      });
    }
  },
  'visit.step-skipped': (draft, payload, context) => {
    const { step, deviceId, reason, reasonCode } = visitStepSkippedPayload.parse(payload);
    const { seq, time: at } = context.event;
    const text = context.text(reason);
    draft.visit.steps.push({ seq, at, step: stepName(step, deviceId), result: 'skipped', detail: text });
    draft.faults.push({ seq, at, kind: 'skip', step: stepName(step, deviceId), reason: text, detail: reasonCode });
    const stageName = STEP_STAGE[step];
    const device = stepDevice(draft, deviceId);
    if (device && stageName) device.stages[stageName] = stage('skipped', at, text);
  },
  'visit.step-fault': (draft, payload, context) => {
    const p = visitStepFaultPayload.parse(payload);
    const detail = [
      context.text(p.text),
      p.chfFaultReturnType,
      p.chfConnectionMethod,
      p.incidentReference ? `incident ${p.incidentReference}` : undefined,
      p.observedAt ? `seen ${p.observedAt}` : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    draft.faults.push({
      seq: context.event.seq,
      at: context.event.time,
      kind: 'fault',
      step: stepName(p.step, p.deviceId),
      reason: p.chfFaultReason ?? `${p.faultKind} fault`,
      detail,
    });
  },
  'visit.step-interrupted': (draft, payload, context) => {
    const p = visitStepInterruptedPayload.parse(payload);
    draft.visit.steps.push({
      seq: context.event.seq,
      at: context.event.time,
      step: stepName(p.step, p.deviceId),
      result: 'interrupted',
      detail: `${p.sideEffect}: ${context.text(p.reconciliation)}`,
    });
  },
  'visit.answers': answers,
  'visit.outcome': (draft, payload, context) => {
    const p = visitOutcomePayload.parse(payload);
    const reason = [context.text(p.reason), ...(p.pending?.length ? [`pending: ${p.pending.map(context.text).join('; ')}`] : [])].join(' — ');
    draft.visitOutcome = {
      seq: context.event.seq,
      at: context.event.time,
      outcome: p.outcome,
      reason,
      ...(p.abortReason ? { abortReason: p.abortReason } : {}),
    };
  },
};
