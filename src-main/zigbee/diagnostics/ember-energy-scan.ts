import { AdapterTransport } from 'zigbee-herdsman/dist/adapter/transport';
import { EzspNetworkScanType, SLStatus } from 'zigbee-herdsman/dist/adapter/ember/enums';
import { EZSP_MIN_PROTOCOL_VERSION, EZSP_PROTOCOL_VERSION } from 'zigbee-herdsman/dist/adapter/ember/ezsp/consts';
import { Ezsp } from 'zigbee-herdsman/dist/adapter/ember/ezsp/ezsp';
import type { EnergyReading } from '../../../src-shared/model/rf-survey';
import { AppError } from '../../../src-shared/ipc/result';
import { channelMask } from './mt-scan-frames';
import { scanTimeoutMs } from './zstack-survey-link';

/** The part of herdsman's Ezsp an energy scan uses: startScan and its two callbacks (which herdsman only logs). */
export type EzspScanPort = Pick<Ezsp, 'ezspStartScan' | 'ezspEnergyScanResultHandler' | 'ezspScanCompleteHandler'>;

/**
 * EmberZNet energy scan (EZSP startScan with EZSP_ENERGY_SCAN): one energyScanResultHandler per channel with the
 * maximum RSSI in dBm, then scanCompleteHandler. It needs no network, so nothing on the NCP changes. herdsman's
 * Ezsp only logs these callbacks, so the scan wraps them on the instance for its duration and restores them.
 * Built from herdsman's ember adapter and tested with recorded EZSP frames; untested on hardware.
 */
export async function emberEnergyScan(ezsp: EzspScanPort, channels: readonly number[], duration: number): Promise<EnergyReading[]> {
  const heard = new Map<number, number>();
  const originalResult = ezsp.ezspEnergyScanResultHandler;
  const originalComplete = ezsp.ezspScanCompleteHandler;
  let timer: NodeJS.Timeout | undefined;
  try {
    const complete = new Promise<void>((resolve, reject) => {
      ezsp.ezspEnergyScanResultHandler = (channel: number, maxRssiValue: number) => {
        heard.set(channel, maxRssiValue);
      };
      ezsp.ezspScanCompleteHandler = (channel: number, status: SLStatus) => {
        // A non-OK status names the channel that failed; OK ends the scan.
        if (status === SLStatus.OK) resolve();
        else reject(new AppError('SCAN_FAILED', `The Ember dongle could not scan channel ${channel} (status ${SLStatus[status] ?? status}).`));
      };
      timer = setTimeout(() => reject(new AppError('TIMEOUT', 'The Ember energy scan did not finish.')), scanTimeoutMs(channels.length, duration));
    });
    const status = await ezsp.ezspStartScan(EzspNetworkScanType.ENERGY_SCAN, channelMask(channels), duration);
    if (status !== SLStatus.OK) throw new AppError('SCAN_FAILED', `The Ember dongle refused the energy scan (status ${SLStatus[status] ?? status}).`);
    await complete;
  } finally {
    if (timer) clearTimeout(timer);
    ezsp.ezspEnergyScanResultHandler = originalResult;
    ezsp.ezspScanCompleteHandler = originalComplete;
  }
  return [...channels].sort((a, b) => a - b).map((channel) => ({ channel, energy: null, rssi: heard.get(channel) ?? null }));
}

/** Opens herdsman's EZSP stack on a dongle (ASH reset and version handshake) without starting any network. */
export async function openEzsp(path: string): Promise<Ezsp> {
  const ezsp = new Ezsp(new AdapterTransport({ path, baudRate: 115200, rtscts: false }));
  try {
    await ezsp.start();
    const [protocol] = await ezsp.ezspVersion(EZSP_PROTOCOL_VERSION);
    if (protocol < EZSP_MIN_PROTOCOL_VERSION) throw new Error(`EZSP protocol ${protocol} is older than ${EZSP_MIN_PROTOCOL_VERSION}`);
    if (protocol !== EZSP_PROTOCOL_VERSION) {
      ezsp.setProtocolVersion(protocol);
      await ezsp.ezspVersion(protocol);
    }
    return ezsp;
  } catch (error) {
    await ezsp.stop().catch(() => undefined);
    throw new AppError('ADAPTER_START_FAILED', `The Ember dongle at ${path} did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
}
