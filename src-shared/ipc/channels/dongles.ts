import { z } from 'zod';
import type { DongleInfo, DongleList } from '../../model/dongle';
import { tcpAdapterInput } from '../../model/dongle';
import { event, request } from '../define';

export interface ProbeOutcome {
  readonly id: string;
  /** The probe recognised the device, e.g. "Z-Stack coordinator (ZNP 2.7)"; undefined when nothing answered. */
  readonly identified?: string;
  readonly tried: readonly string[];
}

const dongleId = z.object({ id: z.string().min(1).max(512) }).strict();

export const dongleRequests = {
  'dongles:list': request<DongleList>()(z.undefined()),
  'dongles:addTcp': request<DongleInfo>()(tcpAdapterInput.strict()),
  'dongles:removeTcp': request<boolean>()(dongleId),
  /** Actively probes a serial device; refused on a port in use, since toggling DTR/RTS can reset some sticks. */
  'dongles:probe': request<ProbeOutcome>()(dongleId),
};

export const dongleEvents = {
  'dongles:changed': event<{ readonly type: 'added' | 'removed'; readonly dongle: DongleInfo }>(),
};
