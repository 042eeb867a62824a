import type { GbcsSummary } from './gbcs/duis-payload';
import type { MmcData, MmcResponse } from './mmc';

/**
 * Our own Parse & Correlate: a trusted GBCS device response turned into the MMC form the workflows read
 * (`record.mmc`), so a step acts the same on a DCC Boxed's GBCS as on Parse & Correlate's XML. Only a verified
 * payload (MAC or signature valid, nothing invalid, encrypted parts opened) gets here; `record.gbcs` keeps the
 * verdicts beside it.
 */
export function mmcFromGbcs(
  gbcs: GbcsSummary,
  header: { readonly targetId: string; readonly serviceReferenceVariant?: string; readonly timestamp: string },
): MmcResponse | undefined {
  if (!gbcs.ok || !gbcs.trusted || !gbcs.result) return undefined;
  const data = dataOf(gbcs.result);
  if (!data) return undefined;
  return {
    originatorId: gbcs.originator,
    targetId: header.targetId,
    originatorCounter: gbcs.counter,
    ...(header.serviceReferenceVariant ? { serviceReferenceVariant: header.serviceReferenceVariant } : {}),
    timestamp: header.timestamp,
    messageSuccess: !('success' in gbcs.result) || gbcs.result.success,
    data,
  };
}

const dashed = (eui: string): string => (eui.includes('-') ? eui : eui.match(/../g)!.join('-')).toUpperCase();

function dataOf(result: NonNullable<Extract<GbcsSummary, { ok: true }>['result']>): MmcData | undefined {
  switch (result.kind) {
    case 'register-reading': {
      const reading = result.reading;
      if (!reading) return undefined;
      if (reading.unit === 'Wh') return { kind: 'import-register', valueWh: reading.value, unit: 'Wh' };
      if (reading.unit === 'kWh') return { kind: 'import-register', valueWh: reading.value * 1000, unit: 'Wh' };
      if (reading.unit === 'm3') return { kind: 'gas-register', valueM3: reading.value, unit: 'm3' };
      return undefined;
    }
    case 'device-log-update':
      return { kind: 'han-device-log-updated', success: result.success };
    case 'device-log':
      return {
        kind: 'chf-device-log',
        entries: result.entries.map((e) => ({ deviceId: dashed(e.deviceId), ...(e.lastCommunications ? { lastCommunications: e.lastCommunications } : {}) })),
      };
    case 'join':
      return { kind: 'join', status: result.reason, success: result.success };
    case 'firmware-version':
      return { kind: 'firmware-version', version: result.version };
    default:
      return undefined;
  }
}
