import type { HanManager } from '../../zigbee/han-manager';
import type { HandlerGroup } from '../dispatch';
import type { JobHanLink } from '../job-han-link';
import type { SessionFile } from '../session-file';

type HanChannels =
  | 'han:view'
  | 'han:start'
  | 'han:stop'
  | 'han:addDevice'
  | 'han:removeDevice'
  | 'han:openJoin'
  | 'han:closeJoin'
  | 'han:read'
  | 'han:pair'
  | 'han:unpair'
  | 'han:refreshLqi';

export interface HanHandlerDeps {
  /** Keeps the job's devices and the device log one list, and records pairings on the job. */
  readonly link: JobHanLink;
  /** Remembers which job's network runs, so a restart resumes it. */
  readonly session?: SessionFile;
}

/** HAN screen handlers: thin calls into the HAN manager; errors cross as AppError codes. */
export function createHanHandlers(han: HanManager, deps: HanHandlerDeps): HandlerGroup<HanChannels> {
  return {
    'han:view': () => han.view(),
    'han:start': async ({ jobId, dongle, channel }) => {
      const view = await han.start(jobId, dongle, channel);
      // Only the training premises' coordinator (chosen on the screen or by default) is resumed unattended: it comes
      // back on a new port each run, while a real dongle may have moved.
      deps.session?.update({ hanJobId: han.isTrainingDongle(dongle) ? jobId : null });
      return view;
    },
    'han:stop': async () => {
      deps.session?.update({ hanJobId: null });
      return han.stop();
    },
    'han:addDevice': ({ text, eui64, type }) => deps.link.addFromHan(text, eui64, type),
    'han:removeDevice': ({ eui64 }) => {
      han.service().removeDevice(eui64);
      return han.view();
    },
    'han:openJoin': async ({ seconds }) => {
      await han.service().openJoinWindow(seconds);
      return han.view();
    },
    'han:closeJoin': async () => {
      await han.service().closeJoinWindow();
      return han.view();
    },
    'han:read': ({ eui64 }) => han.service().readMetering(eui64),
    'han:pair': ({ meter, ihd }) => deps.link.pair(meter, ihd),
    'han:unpair': async ({ meter, ihd }) => {
      await deps.link.unpair(meter, ihd);
      return han.view();
    },
    'han:refreshLqi': async () => {
      await han.service().neighbours();
      return han.view();
    },
  };
}
