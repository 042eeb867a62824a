import { AppError } from '../../../src-shared/ipc/result';
import type { HanManager } from '../../zigbee/han-manager';
import type { HandlerGroup } from '../dispatch';

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

/** HAN screen handlers: thin calls into the HAN manager; errors cross as AppError codes. */
export function createHanHandlers(han: HanManager): HandlerGroup<HanChannels> {
  return {
    'han:view': () => han.view(),
    'han:start': ({ jobId, dongle, channel }) => han.start(jobId, dongle, channel),
    'han:stop': () => han.stop(),
    'han:addDevice': async ({ text, eui64 }) => {
      const result = await han.service().addDevice(text, eui64);
      if (!result.ok) {
        throw new AppError(result.error.code === 'BAD_CRC' ? 'BAD_CRC' : 'INVALID_ARGUMENT', result.error.message);
      }
      const { installCode: _secret, ...entry } = result.entry;
      return entry;
    },
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
    'han:pair': ({ meter, ihd }) => han.service().pairIhd(meter, ihd),
    'han:unpair': async ({ meter, ihd }) => {
      await han.service().unpairIhd(meter, ihd);
      return han.view();
    },
    'han:refreshLqi': async () => {
      await han.service().neighbours();
      return han.view();
    },
  };
}
