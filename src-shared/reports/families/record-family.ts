import { DEVICE_TYPES, deviceCorrectedPayload, hanUnexpectedDevicePayload, ihdPairedPayload, ihdUnpairedPayload } from '../../model/job';
import { deviceById, deviceByEui64, stage, type EventFamily } from '../report-draft';

/** The job record's corrections and findings: device.corrected, ihd.paired/unpaired, han.unexpected-device. */

export const recordFamily: EventFamily = {
  'device.corrected': (draft, payload, context) => {
    const { id, reason, note, type, eui64, installCode, label, mbus } = deviceCorrectedPayload.parse(payload);
    const device = deviceById(draft, id);
    if (!device) return;
    const changes = {
      type,
      eui64,
      installCode: installCode === undefined ? undefined : context.maskSecret(installCode),
      label: label === undefined ? undefined : context.text(label),
      mbus: mbus === undefined ? undefined : { ...mbus },
    };
    const fields = Object.keys(changes).filter((key) => changes[key as keyof typeof changes] !== undefined);
    Object.assign(device, Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)));
    (device.corrections ??= []).push({
      seq: context.event.seq,
      at: context.event.time,
      reason,
      ...(note !== undefined ? { note: context.text(note) } : {}),
      fields,
    });
  },
  'ihd.paired': (draft, payload, context) => {
    const p = ihdPairedPayload.parse(payload);
    draft.pairings.push({
      seq: context.event.seq,
      at: context.event.time,
      action: 'paired',
      ihd: p.ihd,
      meter: p.meter,
      ...(p.meterType !== undefined ? { meterType: p.meterType } : {}),
      proven: p.proven,
      reportsReceived: p.reportsReceived,
      ...(p.error !== undefined ? { error: context.text(p.error) } : {}),
    });
  },
  'ihd.unpaired': (draft, payload, context) => {
    const p = ihdUnpairedPayload.parse(payload);
    draft.pairings.push({ seq: context.event.seq, at: context.event.time, action: 'unpaired', ihd: p.ihd, meter: p.meter });
  },
  'han.unexpected-device': (draft, payload, context) => {
    const { eui64, deviceType, state } = hanUnexpectedDevicePayload.parse(payload);
    const device = deviceByEui64(draft, eui64);
    if (device.listed) return;
    const known = DEVICE_TYPES.find((t) => t === deviceType);
    if (known && device.type === 'OTHER') device.type = known;
    device.status = 'joined';
    device.statusReason = 'joined the job’s network but is not on the job';
    device.stages.join ??= stage('ok', context.event.time);
    if (state === 'ready') device.stages.interview = stage('ok', context.event.time);
  },
};
