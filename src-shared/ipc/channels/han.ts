import { z } from 'zod';
import type { DeviceLogEntry, HanDevice, HanEvent, HanNetworkStatus, MeteringReading, PairingResult } from '../../model/han';
import { DEVICE_TYPES } from '../../model/job';
import { event, request } from '../define';

/** What the HAN screen shows: the running network (if any), its device log and devices. */
export interface HanView {
  readonly jobId?: string;
  readonly network?: HanNetworkStatus;
  /** The device log without install codes (secrets): EUI-64, CRC and derived link key. */
  readonly deviceLog: readonly Omit<DeviceLogEntry, 'installCode'>[];
  readonly devices: readonly HanDevice[];
  /** Training premises only: the labels printed on the virtual devices, to type or scan in. */
  readonly trainingLabels?: readonly { readonly type: string; readonly eui64: string; readonly label: string }[];
}

const jobId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'job id may use letters, digits, "-" and "_"');
const eui64 = z.string().regex(/^(0x)?[0-9A-Fa-f]{16}$/, 'an EUI-64 is 16 hexadecimal digits');

export const hanRequests = {
  'han:view': request<HanView>()(z.undefined()),
  /** Starts the job's coordinator on a dongle, or on the training premises' emulated Z-Stack when none is given. */
  'han:start': request<HanView>()(
    z
      .object({
        jobId,
        dongle: z
          .object({ adapter: z.enum(['zstack', 'ember', 'deconz', 'zigate', 'zboss', 'zoh']), path: z.string().min(1).max(300) })
          .strict()
          .optional(),
        channel: z.number().int().min(11).max(26).optional(),
      })
      .strict(),
  ),
  'han:stop': request<HanView>()(z.undefined()),
  /** Adds a device to the device log from a label or code (typed or scanned); the EUI-64 is needed for bare codes. */
  'han:addDevice': request<Omit<DeviceLogEntry, 'installCode'>>()(
    // type: what the device is, so it reaches the job as that type (or is matched to the expected device of that type).
    z.object({ text: z.string().trim().min(1).max(200), eui64: eui64.optional(), type: z.enum(DEVICE_TYPES).optional() }).strict(),
  ),
  'han:removeDevice': request<HanView>()(z.object({ eui64 }).strict()),
  'han:openJoin': request<HanView>()(z.object({ seconds: z.number().int().min(1).max(3600) }).strict()),
  'han:closeJoin': request<HanView>()(z.undefined()),
  'han:read': request<MeteringReading>()(z.object({ eui64 }).strict()),
  'han:pair': request<PairingResult>()(z.object({ meter: eui64, ihd: eui64 }).strict()),
  'han:unpair': request<HanView>()(z.object({ meter: eui64, ihd: eui64 }).strict()),
  /** Reads the coordinator's neighbour table (Mgmt_Lqi) and updates each device's LQI. */
  'han:refreshLqi': request<HanView>()(z.undefined()),
};

export const hanEvents = {
  /** Something changed on the HAN (device timeline, join window, adapter lost/reconnected, a reading). */
  'han:event': event<HanEvent>(),
};
