import type { JobView } from '../../../src-shared/ipc/channels/jobs';
import type { Job } from '../../../src-shared/model/job';
import { summariseJob } from '../../../src-shared/model/job';
import type { JobStore } from '../../store/job-store';
import { redact } from '../../util/redact';
import type { HandlerGroup } from '../dispatch';
import type { EventBus } from '../event-bus';

type JobChannels = 'jobs:list' | 'jobs:get' | 'jobs:create' | 'jobs:updatePremises' | 'jobs:addDevice' | 'jobs:addNote' | 'jobs:importWorkOrder';

/** What the renderer may see of a job: sealed secrets never leave main, not even encrypted. */
export async function toJobView(store: JobStore, job: Job): Promise<JobView> {
  const integrity = await store.verify(job.id);
  return {
    summary: summariseJob(job),
    premises: job.premises,
    devices: job.devices.map(({ installCode, ...device }) => ({ ...device, hasInstallCode: installCode !== undefined })),
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

export function createJobHandlers(store: JobStore, events: EventBus): HandlerGroup<JobChannels> {
  const changed = (job: Job): Job => {
    events.emit('jobs:changed', { id: job.id });
    return job;
  };
  return {
    'jobs:list': () => store.listJobs(),
    'jobs:get': ({ id }) => toJobView(store, store.getJob(id)),
    'jobs:create': async (input) => summariseJob(changed(await store.createJob(input))),
    'jobs:updatePremises': async ({ id, changes }) => summariseJob(changed((await store.appendEvent(id, 'premises.updated', changes)).job)),
    'jobs:addDevice': async ({ id, device }) => toJobView(store, changed((await store.appendEvent(id, 'device.added', device)).job)),
    'jobs:addNote': async ({ id, text }) => toJobView(store, changed((await store.appendEvent(id, 'note.added', { text })).job)),
    'jobs:importWorkOrder': async (order) => summariseJob(changed(await store.importWorkOrder(order))),
  };
}
