import { AppError } from '../../../src-shared/ipc/result';
import { normaliseHubId } from '../../../src-shared/model/rf-survey';
import type { DiagnosticsService } from '../../zigbee/diagnostics/diagnostics-service';
import type { HandlerGroup } from '../dispatch';

type DiagnosticsChannels =
  | 'diag:view'
  | 'diag:energyScan'
  | 'diag:clearEnergy'
  | 'diag:beaconScan'
  | 'diag:clearSurvey'
  | 'diag:recordPosition'
  | 'diag:positions'
  | 'diag:links'
  | 'diag:checkPresence'
  | 'diag:trainingImpair'
  | 'diag:tables'
  | 'diag:networkMap';

const normaliseEui = (eui64: string): string => eui64.replace(/^0x/i, '').toUpperCase();

/** Diagnostics screen handlers: thin calls into the diagnostics service; errors cross as AppError codes. */
export function createDiagnosticsHandlers(diagnostics: DiagnosticsService): HandlerGroup<DiagnosticsChannels> {
  return {
    'diag:view': () => diagnostics.view(),
    'diag:energyScan': ({ dongle, channels }) => diagnostics.energyScan(dongle, channels),
    'diag:clearEnergy': () => diagnostics.clearEnergy(),
    'diag:beaconScan': ({ dongle, channels }) => diagnostics.beaconScan(dongle, channels),
    'diag:clearSurvey': () => diagnostics.clearSurvey(),
    'diag:recordPosition': ({ jobId, position, hubId }) => {
      const hub = normaliseHubId(hubId);
      if (!hub) throw new AppError('INVALID_ARGUMENT', "The hub's printed ID is 16 hexadecimal digits (spaces, colons and dashes are ignored).");
      return diagnostics.recordPosition(jobId, position, hub);
    },
    'diag:positions': ({ jobId }) => diagnostics.positions(jobId),
    'diag:links': () => diagnostics.links(),
    'diag:checkPresence': () => diagnostics.checkPresence(),
    'diag:trainingImpair': ({ eui64, action }) => {
      diagnostics.trainingImpair(normaliseEui(eui64), action);
      return diagnostics.links();
    },
    'diag:tables': ({ eui64 }) => diagnostics.tables(normaliseEui(eui64)),
    'diag:networkMap': () => diagnostics.networkMap(),
  };
}
