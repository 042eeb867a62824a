import type { z } from 'zod';
import type { DeviceChangeReason, MbusIdentity } from './device-identity';
import type { DeviceStatus, DeviceType, JobStatus, Premises } from './job-fields';
import type { JobEvent } from './job-event';

/** A job's state as the fold of its events builds it, and how an event kind is declared. */

/** Thrown by applyEvent when an event cannot apply to the job (unknown device, duplicate EUI-64…). */
export class JobEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobEventError';
  }
}

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

/** Why, when and by whom a device was taken off the job. */
export interface DeviceRemoval {
  readonly reason?: string;
  readonly reasonCode?: DeviceChangeReason;
  readonly seq: number;
  readonly time: string;
  readonly engineer: string;
}

/** A device taken off the job, kept with why (struck through in the job view). */
export interface RemovedDevice extends JobDevice {
  readonly removal: DeviceRemoval;
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
