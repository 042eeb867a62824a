import { XMLParser } from 'fast-xml-parser';
import { RA_NS } from './duis-codes';
import { el, wrap } from './xml-text';

/**
 * The Message Mapping Catalogue form of a device response (`ra:GBCSResponse`, MMC Schema V5.1): what DCC's
 * Parse & Correlate makes of a decrypted GBCS response. The simulator answers in this form when its payload format
 * is 'mmc'; a trusted GBCS response is mapped to the same shape by `device-result.ts`.
 */
export type MmcData =
  | { readonly kind: 'import-register'; readonly valueWh: number; readonly unit: 'Wh' }
  | { readonly kind: 'gas-register'; readonly valueM3: number; readonly unit: 'm3' }
  | { readonly kind: 'chf-device-log'; readonly entries: readonly { readonly deviceId: string; readonly lastCommunications?: string }[] }
  | { readonly kind: 'han-device-log-updated'; readonly success: boolean }
  | { readonly kind: 'join'; readonly status: string; readonly success: boolean }
  /** 11.2: the device's firmware version as the MMC carries it (hex of the GBCS octets). */
  | { readonly kind: 'firmware-version'; readonly version: string }
  | { readonly kind: 'other'; readonly element: string };

export interface MmcResponse {
  /** The device that answered (BusinessOriginatorID). */
  readonly originatorId: string;
  readonly targetId: string;
  readonly originatorCounter: string;
  readonly serviceReferenceVariant?: string;
  /** Device time of the response (the reading's timestamp for 4.1.1). */
  readonly timestamp?: string;
  readonly messageSuccess?: boolean;
  readonly data: MmcData;
}

export interface MmcBuildOptions {
  readonly originatorId: string;
  readonly targetId: string;
  readonly originatorCounter: bigint;
  readonly serviceReference: string;
  readonly serviceReferenceVariant: string;
  readonly timestamp: Date;
  readonly data: MmcData;
}

const ra = (name: string, value: string | number | boolean | undefined): string => el(`ra:${name}`, value);

function rspBody(data: MmcData): string {
  switch (data.kind) {
    case 'import-register':
      return wrap(
        'ra:ReadInstantaneousImportRegistersRsp',
        wrap('ra:Electricity', wrap('ra:ActiveImportRegister', ra('Value', Math.floor(data.valueWh)) + ra('ActiveEnergyUnit', data.unit))),
        'MessageSuccess="true"',
      );
    case 'gas-register':
      return wrap(
        'ra:ReadInstantaneousImportRegistersRsp',
        wrap('ra:Gas', wrap('ra:CurrentSummationDelivered', ra('Value', data.valueM3) + ra('GasUnit', data.unit))),
        'MessageSuccess="true"',
      );
    case 'chf-device-log':
      return wrap(
        'ra:ReadDeviceLogRsp',
        wrap(
          'ra:CHFDeviceLog',
          data.entries.map((e) => wrap('ra:CHFDeviceLogEntry', ra('DeviceID', e.deviceId) + ra('LastCommunicationsDateTime', e.lastCommunications))).join(''),
        ),
        'MessageSuccess="true"',
      );
    case 'han-device-log-updated':
      return wrap('ra:UpdateHANDeviceLogRsp', '', `MessageSuccess="${data.success}"`);
    case 'join':
      return wrap(
        'ra:JoinServiceNonCriticalRsp',
        wrap('ra:joinResponseCode', ra('ASN1Status', data.status), `ResponseCode="${data.success ? 0 : 1}"`),
        `MessageSuccess="${data.success}"`,
      );
    case 'firmware-version':
      return wrap('ra:ReadFirmwareVersionRsp', ra('FirmwareVersion', data.version), 'MessageSuccess="true"');
    case 'other':
      throw new Error(`cannot build MMC element ${data.element}`);
  }
}

/** Writes a compact `ra:GBCSResponse` document. */
export function buildMmcResponse(options: MmcBuildOptions): string {
  // Milliseconds kept: the read's time is compared with HAN and display readings taken moments apart.
  const timestamp = options.timestamp.toISOString();
  const header =
    ra('BusinessOriginatorID', options.originatorId) +
    ra('BusinessTargetID', options.targetId) +
    ra('OriginatorCounter', options.originatorCounter.toString()) +
    ra('ServiceReference', options.serviceReference) +
    ra('ServiceReferenceVariant', options.serviceReferenceVariant) +
    ra('Timestamp', timestamp);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<ra:GBCSResponse xmlns:ra="${RA_NS}" schemaVersion="5.1">` +
    wrap('ra:Header', header) +
    wrap('ra:Body', wrap('ra:ResponseMessage', wrap('ra:SMETSData', rspBody(options.data)))) +
    '</ra:GBCSResponse>'
  );
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name) => name === 'CHFDeviceLogEntry',
});

type Node = Record<string, unknown>;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : v && typeof v === 'object' && '#text' in v ? String((v as Node)['#text']) : undefined;

/** Reads the parts of an MMC response the workflows use; throws on anything that is not a GBCSResponse. */
export function parseMmc(xml: string): MmcResponse {
  const doc = parser.parse(xml) as Node;
  const root = doc.GBCSResponse as Node | undefined;
  if (!root) throw new Error('not an MMC GBCSResponse document');
  const header = (root.Header ?? {}) as Node;
  const smets = (((root.Body as Node)?.ResponseMessage as Node)?.SMETSData ?? {}) as Node;
  const [element, content] = (Object.entries(smets).find(([k]) => !k.startsWith('@')) ?? ['(none)', {}]) as [string, Node];
  const success = content['@MessageSuccess'] === undefined ? undefined : content['@MessageSuccess'] === 'true';
  let data: MmcData;
  if (element === 'ReadInstantaneousImportRegistersRsp' && content.Gas) {
    const value = Number(str(((content.Gas as Node).CurrentSummationDelivered as Node | undefined)?.Value));
    if (!Number.isFinite(value)) throw new Error('MMC 4.1.1 gas response carries no summation value');
    data = { kind: 'gas-register', valueM3: value, unit: 'm3' };
  } else if (element === 'ReadInstantaneousImportRegistersRsp') {
    const register = ((content.Electricity as Node)?.ActiveImportRegister ?? {}) as Node;
    const value = Number(str(register.Value));
    if (!Number.isFinite(value)) throw new Error('MMC 4.1.1 response carries no active import register value');
    data = { kind: 'import-register', valueWh: value, unit: 'Wh' };
  } else if (element === 'ReadDeviceLogRsp') {
    const entries = (((content.CHFDeviceLog as Node)?.CHFDeviceLogEntry ?? []) as Node[]).map((e) => ({
      deviceId: str(e.DeviceID) ?? '',
      ...(str(e.LastCommunicationsDateTime) ? { lastCommunications: str(e.LastCommunicationsDateTime)! } : {}),
    }));
    data = { kind: 'chf-device-log', entries };
  } else if (element === 'UpdateHANDeviceLogRsp') {
    data = { kind: 'han-device-log-updated', success: success ?? false };
  } else if (element === 'JoinServiceNonCriticalRsp') {
    const status = str((content.joinResponseCode as Node)?.ASN1Status) ?? 'notKnown';
    data = { kind: 'join', status, success: status === 'success' };
  } else if (element === 'ReadFirmwareVersionRsp' && str(content.FirmwareVersion) !== undefined) {
    data = { kind: 'firmware-version', version: str(content.FirmwareVersion)! };
  } else data = { kind: 'other', element };
  return {
    originatorId: str(header.BusinessOriginatorID) ?? '',
    targetId: str(header.BusinessTargetID) ?? '',
    originatorCounter: str(header.OriginatorCounter) ?? '',
    ...(str(header.ServiceReferenceVariant) ? { serviceReferenceVariant: str(header.ServiceReferenceVariant)! } : {}),
    ...(str(header.Timestamp) ? { timestamp: str(header.Timestamp)! } : {}),
    ...(success === undefined ? {} : { messageSuccess: success }),
    data,
  };
}
