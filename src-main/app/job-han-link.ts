import type { DeviceType, Job, JobDevice } from '../../src-shared/model/job';
import type { PairingResult } from '../../src-shared/model/han';
import { AppError } from '../../src-shared/ipc/result';
import { resolveIdentity } from '../../src-shared/model/device-identity';
import type { JobStore } from '../store/job-store';
import type { Logger } from '../util/logger';
import type { HanManager, RecordKind } from '../zigbee/han-manager';
import type { EventBus } from './event-bus';

/**
 * One list of devices per visit: the job's devices and the HAN device log are kept together here. Devices added to
 * the job reach the running network's device log; devices added on the HAN screen reach the job; a device that joins
 * is matched to its job row by EUI-64 (or, once interviewed, to the one expected device of its type still without
 * an EUI-64), and a joiner that is not on the job is flagged with han.unexpected-device, never silently added.
 */

/** Device types the SE interview reports that are also job device types. */
const INTERVIEWED_TYPES: readonly string[] = ['ESME', 'GSME', 'IHD', 'PPMID'];
/** Job devices expected to join the network themselves (the comms hub is the coordinator; the GPF sits in the GSME). */
const JOINING_TYPES: readonly string[] = ['ESME', 'GSME', 'IHD', 'PPMID', 'OTHER'];

export interface JobHanLinkDeps {
  readonly store: JobStore;
  readonly han: () => HanManager;
  readonly events: EventBus;
  readonly log: Logger;
}

export class JobHanLink {
  readonly #deps: JobHanLinkDeps;

  constructor(deps: JobHanLinkDeps) {
    this.#deps = deps;
  }

  #append(jobId: string, kind: string, payload: Record<string, unknown>): Promise<Job> {
    return this.#deps.store.appendEvent(jobId, kind, payload).then(({ job }) => {
      this.#deps.events.emit('jobs:changed', { id: jobId });
      return job;
    });
  }

  #runningFor(jobId: string): boolean {
    return this.#deps.han().view().jobId === jobId;
  }

  /** A device was added to the job: while its network runs, it goes onto the device log at once. */
  async jobDeviceAdded(jobId: string, device: JobDevice | undefined): Promise<void> {
    if (!device?.eui64 || !this.#runningFor(jobId)) return;
    this.#deps.han().linkJobDevice(device.eui64, device.id);
    const revealed = (await this.#deps.store.getRevealedJob(jobId)).devices.find((d) => d.id === device.id);
    if (!revealed?.installCode) return;
    const result = await this.#deps.han().service().addDevice(`${device.eui64}|${revealed.installCode}`);
    if (!result.ok) this.#deps.log.warn('job device not added to the device log', { eui64: device.eui64, reason: result.error.code });
  }

  /** A device was taken off the job: it leaves the running network's device log too. */
  jobDeviceRemoved(jobId: string, eui64: string | undefined): void {
    if (eui64 && this.#runningFor(jobId)) this.#deps.han().service().removeDevice(eui64);
  }

  /**
   * The HAN screen's device-log entry: checked like the job form's (a label for another EUI-64 is refused), put on
   * the device log, and recorded on the job — matched to its row by EUI-64, or to an expected device of the chosen
   * type still without one, or added.
   */
  async addFromHan(text: string, typedEui64: string | undefined, type: DeviceType | undefined) {
    const identity = resolveIdentity({ eui64: typedEui64, installCode: text }, { requireEui64: true });
    if (!identity.ok) throw new AppError(identity.field === 'installCode' && /CRC/.test(identity.message) ? 'BAD_CRC' : 'INVALID_ARGUMENT', identity.message);
    const manager = this.#deps.han();
    const result = await manager.service().addDevice(text, typedEui64);
    if (!result.ok) throw new AppError(result.error.code === 'BAD_CRC' ? 'BAD_CRC' : 'INVALID_ARGUMENT', result.error.message);
    const jobId = manager.view().jobId;
    if (jobId) {
      const { eui64, installCode, crc } = result.entry;
      const job = this.#deps.store.getJob(jobId);
      const onJob = job.devices.find((d) => d.eui64 === eui64);
      const expected = job.devices.find((d) => d.eui64 === undefined && d.type === type);
      let id: string | undefined;
      if (onJob) {
        id = onJob.id;
        if (!onJob.installCode) await this.#append(jobId, 'device.updated', { id, installCode: installCode + crc });
      } else if (expected) {
        id = expected.id;
        await this.#append(jobId, 'device.updated', { id, eui64, installCode: installCode + crc, status: 'installed' });
      } else {
        const added = await this.#append(jobId, 'device.added', { type: type ?? 'OTHER', eui64, installCode: installCode + crc, status: 'installed' });
        id = added.devices.find((d) => d.eui64 === eui64)?.id;
      }
      if (id) manager.linkJobDevice(eui64, id);
    }
    const { installCode: _secret, ...entry } = result.entry;
    return entry;
  }

  /** The HAN manager's timeline steps, plus matching joiners to the job and closing joining when all are ready. */
  async record(jobId: string, kind: RecordKind, payload: Record<string, unknown>): Promise<void> {
    await this.#append(jobId, kind, payload);
    if (kind !== 'han.device') return;
    const eui64 = String(payload.eui64);
    const state = String(payload.state);
    const deviceType = typeof payload.deviceType === 'string' ? payload.deviceType : undefined;
    if (state !== 'joined' && state !== 'interviewing' && state !== 'ready') return;
    const job = this.#deps.store.getJob(jobId);
    const onJob = job.devices.find((d) => d.eui64 === eui64);
    if (onJob) {
      // The interview tells what a device added as OTHER really is.
      if (onJob.type === 'OTHER' && deviceType && INTERVIEWED_TYPES.includes(deviceType))
        await this.#append(jobId, 'device.updated', { id: onJob.id, type: deviceType });
    } else {
      const candidates = deviceType ? job.devices.filter((d) => d.eui64 === undefined && d.type === deviceType) : [];
      if (state === 'ready' && candidates.length === 1) {
        await this.#append(jobId, 'device.updated', { id: candidates[0]!.id, eui64, status: 'commissioned' });
        this.#deps.han().linkJobDevice(eui64, candidates[0]!.id);
      } else {
        await this.#append(jobId, 'han.unexpected-device', { eui64, state, ...(deviceType ? { deviceType } : {}) });
      }
    }
    if (state === 'ready') await this.#closeJoiningWhenAllReady(jobId);
  }

  async #closeJoiningWhenAllReady(jobId: string): Promise<void> {
    const manager = this.#deps.han();
    const view = manager.view();
    if (view.jobId !== jobId || !view.network?.joinWindow.open) return;
    const expected = this.#deps.store.getJob(jobId).devices.filter((d) => JOINING_TYPES.includes(d.type) && d.eui64 !== undefined);
    if (expected.length === 0) return;
    const ready = new Set(view.devices.filter((d) => d.state === 'ready').map((d) => d.eui64));
    if (!expected.every((d) => ready.has(d.eui64!))) return;
    await manager.service().closeJoinWindow();
    this.#deps.events.emit('app:notice', {
      level: 'info',
      message: `Every device on the job (${expected.length}) has joined and is ready: joining was closed.`,
    });
  }

  /** Pairing an IHD is an outcome: recorded on the job whether or not it was proven. */
  async pair(meter: string, ihd: string): Promise<PairingResult> {
    const manager = this.#deps.han();
    const result = await manager.service().pairIhd(meter, ihd);
    const jobId = manager.view().jobId;
    if (jobId) {
      const meterType = manager.service().device(result.meter)?.type;
      await this.#append(jobId, 'ihd.paired', {
        ihd: result.ihd,
        meter: result.meter,
        ...(meterType === 'ESME' || meterType === 'GSME' ? { meterType } : {}),
        proven: result.bindingConfirmed && result.ihdConfirmed,
        bindingConfirmed: result.bindingConfirmed,
        ihdConfirmed: result.ihdConfirmed,
        reportsReceived: result.ihdReportsReceived,
        ...(result.error ? { error: result.error.slice(0, 300) } : {}),
      });
    }
    return result;
  }

  async unpair(meter: string, ihd: string): Promise<void> {
    const manager = this.#deps.han();
    await manager.service().unpairIhd(meter, ihd);
    const jobId = manager.view().jobId;
    if (jobId) await this.#append(jobId, 'ihd.unpaired', { ihd, meter });
  }
}
