import type { z } from 'zod';
import { type MbusIdentity, sameMbusMeter } from './device-identity';
import type { deviceCorrectedPayload, deviceRemovedPayload, hanUnexpectedDevicePayload, ihdPairedPayload } from './job';
import type { deviceFieldsSchema } from './job-fields';
import type { JobEvent } from './job-event';
import { type Job, type JobDevice, JobEventError, nextDeviceId } from './job-state';

/** How device events change a job: add, correct, remove, pair and flag, each refusing what would make the record wrong. */

export function findDevice(job: Job, id: string): JobDevice {
  const device = job.devices.find((d) => d.id === id);
  if (!device) throw new JobEventError(`job ${job.id} has no device ${id}`);
  return device;
}

export function checkUniqueEui64(devices: readonly JobDevice[], eui64: string | undefined, exceptId?: string): void {
  if (eui64 === undefined) return;
  const other = devices.find((d) => d.eui64 === eui64 && d.id !== exceptId);
  if (other) throw new JobEventError(`EUI-64 ${eui64} is already device ${other.id} (${other.type}) on this job`);
}

export function checkUniqueMbus(devices: readonly JobDevice[], mbus: MbusIdentity | undefined, exceptId: string | undefined): void {
  if (mbus === undefined) return;
  const other = devices.find((d) => d.mbus !== undefined && d.id !== exceptId && sameMbusMeter(d.mbus, mbus));
  if (other) throw new JobEventError(`M-Bus meter ${mbus.manufacturer} ${mbus.id} is already device ${other.id} on this job`);
}

export function addDevice(job: Job, input: z.output<typeof deviceFieldsSchema>): Job {
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
export function patch<T extends object>(base: T, changes: Record<string, unknown>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out as T;
}

export function correctDevice(job: Job, p: z.output<typeof deviceCorrectedPayload>, event: JobEvent): Job {
  const { id, reason, note, ...changes } = p;
  const device = findDevice(job, id);
  if (typeof changes.installCode === 'string') throw new JobEventError('install code must be sealed before it is applied');
  if (changes.eui64) checkUniqueEui64(job.devices, changes.eui64, id);
  checkUniqueMbus(job.devices, changes.mbus, id);
  const corrected: JobDevice = { ...patch(device, changes), correction: { reason, ...(note !== undefined ? { note } : {}), seq: event.seq } };
  return { ...job, devices: job.devices.map((d) => (d.id === id ? corrected : d)) };
}

export function removeDevice(job: Job, p: z.output<typeof deviceRemovedPayload>, event: JobEvent): Job {
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

export function recordPairing(job: Job, p: z.output<typeof ihdPairedPayload>, event: JobEvent): Job {
  if (!p.proven) return job;
  const others = (job.pairings ?? []).filter((x) => !(x.ihd === p.ihd && x.meter === p.meter));
  return { ...job, pairings: [...others, { ihd: p.ihd, meter: p.meter, ...(p.meterType ? { meterType: p.meterType } : {}), seq: event.seq }] };
}

export function flagUnexpected(job: Job, p: z.output<typeof hanUnexpectedDevicePayload>, event: JobEvent): Job {
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
