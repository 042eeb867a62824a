import type { EngineerView, JobDeviceView, JobView } from '../../../src-shared/ipc/channels/jobs';
import type { Job, JobDevice } from '../../../src-shared/model/job';
import { summariseJob } from '../../../src-shared/model/job';
import type { VisitedMeterPoint } from '../../premises/visited-meter-point';
import type { JobStore } from '../../store/job-store';
import { redact } from '../../util/redact';
import type { HandlerGroup } from '../dispatch';
import type { EventBus } from '../event-bus';
import type { JobHanLink } from '../job-han-link';
import type { SessionFile } from '../session-file';

type JobChannels =
  | 'jobs:list'
  | 'jobs:get'
  | 'jobs:create'
  | 'jobs:updatePremises'
  | 'jobs:addDevice'
  | 'jobs:correctDevice'
  | 'jobs:removeDevice'
  | 'jobs:addNote'
  | 'jobs:importWorkOrder'
  | 'jobs:engineer'
  | 'jobs:setEngineer'
  | 'jobs:session'
  | 'jobs:setSession'
  | 'jobs:trainingMeterPoint'
  | 'jobs:setTrainingMismatch';

export interface JobHandlerDeps {
  readonly session?: SessionFile;
  readonly link?: JobHanLink;
  readonly meterPoint?: VisitedMeterPoint;
  /** Where the starting engineer name came from (a name the engineer gives becomes "remembered"). */
  readonly engineerSource?: EngineerView['source'];
}

function deviceView({ installCode, ...device }: JobDevice): JobDeviceView {
  return { ...device, hasInstallCode: installCode !== undefined };
}

/** What the renderer may see of a job: sealed secrets never leave main, not even encrypted. */
export async function toJobView(store: JobStore, job: Job): Promise<JobView> {
  const integrity = await store.verify(job.id);
  return {
    summary: summariseJob(job),
    premises: job.premises,
    devices: job.devices.map(deviceView),
    removedDevices: (job.removedDevices ?? []).map(({ removal, ...device }) => ({ ...deviceView(device), removal })),
    pairings: job.pairings ?? [],
    unexpectedDevices: job.unexpectedDevices ?? [],
    recordedBy: [...new Set(job.timeline.map((event) => event.engineer))],
    notes: job.notes,
    timeline: job.timeline.map((event) => ({
      seq: event.seq,
      time: event.time,
      engineer: event.engineer,
      kind: event.kind,
      details: JSON.stringify(redact(event.payload)),
    })),
    integrity: integrity.ok
      ? { ok: true, events: integrity.events }
      : { ok: false, events: integrity.events, brokenSeq: integrity.brokenSeq, reason: integrity.reason },
  };
}

export function createJobHandlers(store: JobStore, events: EventBus, deps: JobHandlerDeps = {}): HandlerGroup<JobChannels> {
  let engineerSource: EngineerView['source'] = deps.engineerSource ?? 'environment';
  const changed = (job: Job): Job => {
    events.emit('jobs:changed', { id: job.id });
    return job;
  };
  const engineer = (): EngineerView => ({ name: store.engineer, source: engineerSource });
  const rememberEngineer = (name: string): void => {
    store.setEngineer(name);
    engineerSource = 'remembered';
    deps.session?.update({ engineer: store.engineer });
  };
  const visit = (jobId: string | undefined): void => {
    const job = jobId ? store.listJobs().find((j) => j.id === jobId) : undefined;
    deps.meterPoint?.visit(job ? { mpan: job.mpan, mprn: job.mprn } : undefined);
  };
  visit(deps.session?.get().openJobId);
  return {
    'jobs:list': () => store.listJobs(),
    'jobs:get': ({ id }) => toJobView(store, store.getJob(id)),
    'jobs:create': async (input) => {
      // The job form's Engineer field is who is working: the job's engineer and each event's name agree.
      if (input.premises.engineer) rememberEngineer(input.premises.engineer);
      return summariseJob(changed(await store.createJob(input)));
    },
    'jobs:updatePremises': async ({ id, changes }) => {
      const summary = summariseJob(changed((await store.appendEvent(id, 'premises.updated', changes)).job));
      if (deps.session?.get().openJobId === id) visit(id);
      return summary;
    },
    'jobs:addDevice': async ({ id, device }) => {
      const job = changed((await store.appendEvent(id, 'device.added', device)).job);
      await deps.link?.jobDeviceAdded(id, job.devices.at(-1));
      return toJobView(store, job);
    },
    'jobs:correctDevice': async ({ id, deviceId, ...correction }) => {
      const before = store.getJob(id).devices.find((d) => d.id === deviceId);
      const job = changed((await store.appendEvent(id, 'device.corrected', { id: deviceId, ...correction })).job);
      const after = job.devices.find((d) => d.id === deviceId);
      if (before?.eui64 !== after?.eui64) deps.link?.jobDeviceRemoved(id, before?.eui64);
      await deps.link?.jobDeviceAdded(id, after);
      return toJobView(store, job);
    },
    'jobs:removeDevice': async ({ id, deviceId, reasonCode, note }) => {
      const device = store.getJob(id).devices.find((d) => d.id === deviceId);
      const job = changed((await store.appendEvent(id, 'device.removed', { id: deviceId, reasonCode, ...(note ? { reason: note } : {}) })).job);
      deps.link?.jobDeviceRemoved(id, device?.eui64);
      return toJobView(store, job);
    },
    'jobs:addNote': async ({ id, text }) => toJobView(store, changed((await store.appendEvent(id, 'note.added', { text })).job)),
    'jobs:importWorkOrder': async (order) => summariseJob(changed(await store.importWorkOrder(order))),
    'jobs:engineer': () => engineer(),
    'jobs:setEngineer': ({ name }) => {
      rememberEngineer(name);
      return engineer();
    },
    'jobs:session': () => deps.session?.view() ?? {},
    'jobs:setSession': (changes) => {
      if (changes.openJobId !== undefined) visit(changes.openJobId ?? undefined);
      return deps.session?.update(changes) ? deps.session.view() : {};
    },
    'jobs:trainingMeterPoint': () => deps.meterPoint?.view() ?? { running: false },
    'jobs:setTrainingMismatch': ({ mpan }) => {
      deps.meterPoint?.setTrainerMpan(mpan ?? undefined);
      deps.session?.update({ trainerMpan: mpan });
      return deps.meterPoint?.view() ?? { running: false };
    },
  };
}
