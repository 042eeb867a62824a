import { surveyPositionPayload, type SurveyPosition } from '../../../src-shared/model/rf-survey';
import type { RunningPremises } from '../../premises/training-premises';
import type { JobStore } from '../../store/job-store';
import type { Logger } from '../../util/logger';
import type { HanManager } from '../han-manager';
import { DiagnosticsService, type TrainingRadio } from './diagnostics-service';

export interface DiagnosticsWiring {
  readonly han: HanManager;
  readonly store: JobStore;
  readonly premises: () => RunningPremises | undefined;
  readonly log: Logger;
  /** A job changed (a position was recorded) or a scan finished. */
  readonly onJobChanged: (jobId: string) => void;
  readonly onChange: () => void;
}

/** Builds the diagnostics service on the app's HAN manager, job store and training premises. */
export function createDiagnostics(wiring: DiagnosticsWiring): DiagnosticsService {
  const { han, store, premises } = wiring;
  return new DiagnosticsService({
    log: wiring.log,
    trainingDongle: () => {
      const port = premises()?.ports.zigbee;
      return port === undefined ? undefined : { adapter: 'zstack', path: `tcp://127.0.0.1:${port}` };
    },
    coordinator: () => {
      let service;
      try {
        service = han.service();
      } catch {
        return undefined;
      }
      const controller = service.runningController;
      if (!controller) return undefined;
      const status = service.status();
      return { path: status.path, adapter: status.adapter, controller, devices: service.devices() };
    },
    recordPosition: async (jobId, position) => {
      await store.appendEvent(jobId, 'survey.position', position);
      wiring.onJobChanged(jobId);
    },
    positions: (jobId) =>
      Promise.resolve(
        store
          .getJob(jobId)
          .timeline.filter((event) => event.kind === 'survey.position')
          .flatMap((event): SurveyPosition[] => {
            const parsed = surveyPositionPayload.safeParse(event.payload);
            return parsed.success ? [parsed.data] : [];
          }),
      ),
    // Device types only: the printed label carries the install code, which never leaves main.
    labels: () => new Map((premises()?.model.devices ?? []).map((d) => [d.eui64.toUpperCase(), `${d.type} …${d.eui64.slice(-4).toUpperCase()}`])),
    // The emulated Z-Stack's RF model (training premises only): lets a trainee watch a link worsen or a device drop.
    trainingRadio: () => premises()?.emulators.get('zigbee')?.details?.radio as TrainingRadio | undefined,
    onChange: wiring.onChange,
  });
}
