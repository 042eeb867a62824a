import { z } from 'zod';
import type { DeviceLink, DeviceTables, NetworkMap } from '../../model/han-links';
import type { ChannelRecommendation, ChannelStats, EnergyScan, SurveyNetwork, SurveyPosition } from '../../model/rf-survey';
import { event, request } from '../define';

/** Energy scans so far: the latest, min/mean/max per channel, the recommended channel and Wi-Fi overlaps. */
export interface EnergyView {
  readonly scans: number;
  readonly latest?: EnergyScan;
  readonly stats: readonly ChannelStats[];
  readonly recommendation?: ChannelRecommendation;
  readonly wifi: readonly { readonly channel: number; readonly overlaps: readonly number[] }[];
}

/** A network heard in the survey, merged across scans. */
export interface SurveyedNetwork extends SurveyNetwork {
  readonly firstHeardMs: number;
  readonly lastHeardMs: number;
  readonly timesHeard: number;
}

export interface SurveyView {
  readonly networks: readonly SurveyedNetwork[];
  readonly lastScanMs?: number;
  /** Networks heard in the latest scan. */
  readonly lastHeard?: number;
}

export interface DiagnosticsView {
  readonly energy: EnergyView;
  readonly survey: SurveyView;
  /** The training premises' emulated radio can be impaired (to practise on a failing link). */
  readonly training: boolean;
}

const jobId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'job id may use letters, digits, "-" and "_"');
const eui64 = z.string().regex(/^(0x)?[0-9A-Fa-f]{16}$/, 'an EUI-64 is 16 hexadecimal digits');
const dongle = z
  .object({ adapter: z.enum(['zstack', 'ember', 'deconz', 'zigate', 'zboss', 'zoh']), path: z.string().min(1).max(300) })
  .strict()
  .optional();
const channels = z.array(z.number().int().min(11, 'channels are 11-26').max(26, 'channels are 11-26')).min(1).max(16).optional();

export const diagnosticsRequests = {
  'diag:view': request<DiagnosticsView>()(z.undefined()),
  /** One energy scan (Z-Stack: Mgmt_NWK_Update_req; Ember: startScan) on a dongle, or the training premises' one. */
  'diag:energyScan': request<EnergyView>()(z.object({ dongle, channels }).strict()),
  'diag:clearEnergy': request<EnergyView>()(z.undefined()),
  /** One active (beacon) scan: nearby networks, never joined. */
  'diag:beaconScan': request<SurveyView>()(z.object({ dongle, channels }).strict()),
  'diag:clearSurvey': request<SurveyView>()(z.undefined()),
  /** Records the Comms Hub's signal (from the latest beacon scan) at a named position in the job. */
  'diag:recordPosition': request<SurveyPosition>()(
    z
      .object({
        jobId,
        position: z.string().trim().min(1, 'name the position').max(80, 'must be at most 80 characters'),
        hubId: z.string().trim().min(1, "type or scan the hub's printed ID").max(40),
      })
      .strict(),
  ),
  'diag:positions': request<SurveyPosition[]>()(z.object({ jobId }).strict()),
  /** Link quality of every device on the job's running network. */
  'diag:links': request<DeviceLink[]>()(z.undefined()),
  /** Probes each joined device: one that does not answer is reported dropped until it is heard again. */
  'diag:checkPresence': request<DeviceLink[]>()(z.undefined()),
  /** Mgmt_Lqi and Mgmt_Rtg of one device, read now (paged). */
  'diag:tables': request<DeviceTables>()(z.object({ eui64 }).strict()),
  /** Training premises only: worsen a device's link, drop it (it rejoins later), or clear the impairments. */
  'diag:trainingImpair': request<DeviceLink[]>()(z.object({ eui64, action: z.enum(['worsen', 'drop', 'clear']) }).strict()),
  /** Neighbour tables of the coordinator and routers, as a map. */
  'diag:networkMap': request<NetworkMap>()(z.undefined()),
};

export const diagnosticsEvents = {
  /** A scan finished (energy or beacons): the screen refreshes its view. */
  'diag:changed': event<Record<string, never>>(),
};
