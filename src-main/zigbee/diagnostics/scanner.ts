import { setLogger, Zdo, type Controller } from 'zigbee-herdsman';
import type { Adapter } from 'zigbee-herdsman/dist/adapter';
import type { Ezsp } from 'zigbee-herdsman/dist/adapter/ember/ezsp/ezsp';
import { AppError } from '../../../src-shared/ipc/result';
import { scanUnavailableReason, type HanAdapterType } from '../../../src-shared/model/han-adapters';
import type { EnergyReading, SurveyNetwork } from '../../../src-shared/model/rf-survey';
import { claimPort } from '../../link/port-claims';
import type { Logger } from '../../util/logger';
import { dongleRoles } from '../han-roles';
import { herdsmanLogger } from '../han-service';
import { emberEnergyScan, openEzsp } from './ember-energy-scan';
import { energyReadings, ZstackSurveyLink } from './zstack-survey-link';

export interface ScanDongle {
  readonly adapter: HanAdapterType;
  /** Serial path or tcp://host:port. */
  readonly path: string;
}

/** The job's coordinator, when it runs on the dongle asked for: scans then go through its herdsman adapter. */
export interface RunningCoordinator {
  readonly path: string;
  readonly controller: Controller;
}

export interface EnergyResult {
  readonly readings: EnergyReading[];
  readonly note?: string;
}

/**
 * herdsman's Controller keeps its adapter private and offers no scan: the coordinator-role scan uses the adapter's
 * own public sendZdo (the same call Device.lqi() makes), reached through that private field.
 */
function adapterOf(controller: Controller): Adapter {
  return (controller as unknown as { adapter: Adapter }).adapter;
}

/**
 * One energy scan: through the running coordinator when the job's network is on that dongle (a scan changes
 * nothing on the network), otherwise in the survey role on a dongle nobody else holds.
 */
export async function scanEnergy(
  dongle: ScanDongle,
  channels: readonly number[],
  duration: number,
  log: Logger,
  coordinator?: RunningCoordinator,
): Promise<EnergyResult> {
  const reason = scanUnavailableReason(dongle.adapter, 'energyScan');
  if (reason) throw new AppError('UNSUPPORTED', reason);
  if (coordinator && coordinator.path === dongle.path) {
    const adapter = adapterOf(coordinator.controller);
    if (dongle.adapter === 'ember') {
      const ezsp = (adapter as unknown as { ezsp: Ezsp }).ezsp;
      return { readings: await emberEnergyScan(ezsp, channels, duration), note: "Scanned through the job's running network; it was not changed." };
    }
    const coordinatorDevice = coordinator.controller.getDevicesByType('Coordinator')[0];
    if (!coordinatorDevice) throw new AppError('ADAPTER_LOST', 'The coordinator is not known yet.');
    const payload = Zdo.Buffalo.buildRequest(adapter.hasZdoMessageOverhead, Zdo.ClusterId.NWK_UPDATE_REQUEST, [...channels], duration, 1, undefined, undefined);
    const response = await adapter.sendZdo(coordinatorDevice.ieeeAddr, 0x0000, Zdo.ClusterId.NWK_UPDATE_REQUEST, payload, false);
    return { readings: energyReadings(response, channels), note: "Scanned through the job's running network; it was not changed." };
  }
  return withSurveyRole(dongle.path, log, async () => {
    if (dongle.adapter === 'ember') {
      const ezsp = await openEzsp(dongle.path);
      try {
        return { readings: await emberEnergyScan(ezsp, channels, duration), note: 'Ember energy scan: untested on hardware.' };
      } finally {
        await ezsp.stop().catch(() => undefined);
      }
    }
    const link = await ZstackSurveyLink.open(dongle.path);
    try {
      const note = await link.prepareForEnergyScan();
      return { readings: await link.energyScan(channels, duration), note };
    } finally {
      await link.close();
    }
  });
}

/** One active (beacon) scan in the survey role: never joins, never while the job's network holds the dongle. */
export async function scanBeacons(
  dongle: ScanDongle,
  channels: readonly number[],
  duration: number,
  log: Logger,
  coordinator?: RunningCoordinator,
): Promise<SurveyNetwork[]> {
  const reason = scanUnavailableReason(dongle.adapter, 'beaconScan');
  if (reason) throw new AppError('UNSUPPORTED', reason);
  if (coordinator && coordinator.path === dongle.path)
    throw new AppError(
      'DONGLE_BUSY',
      "The job's network runs on this dongle: stop it on the HAN screen to survey (the survey never changes it), or use another dongle.",
    );
  return withSurveyRole(dongle.path, log, async () => {
    const link = await ZstackSurveyLink.open(dongle.path);
    try {
      return await link.beaconScan(channels, duration);
    } finally {
      await link.close();
    }
  });
}

async function withSurveyRole<T>(path: string, log: Logger, work: () => Promise<T>): Promise<T> {
  const releaseRole = dongleRoles.claim(path, 'survey');
  const releasePort = claimPort(path);
  // herdsman logs through one process-wide logger: keep its frames (keys on a live network) out of our logs.
  setLogger(herdsmanLogger(log.child('herdsman')));
  try {
    return await work();
  } finally {
    releasePort();
    releaseRole();
  }
}
