import type { WanMatrix } from '../duis-response';
import { toDuisEui } from '../eui';
import type { ServiceRequestVariant } from '../service-requests';
import { el, nodeText as text, wrap } from '../xml-text';
import { Refusal, type SmiStatus, type XmlNode } from './device-handlers';
import type { DeviceIdentity, DevicePki } from './device-pki';
import { TEST_DCC_ID } from '../credentials';

/** What a non-device request (CV 8, answered by the DCC itself with I0) reads and changes. */
export interface DccRegisters {
  readonly smi: Map<string, SmiStatus>;
  readonly typeOf: Map<string, string>;
  readonly devicePki: DevicePki;
}

/**
 * Runs one non-device request against the DCC's registers: 8.14.1 / 8.14.2 commission or decommission the Comms
 * Hub in the SMI, 12.2 pre-notifies a device (and gives it keys and SMKI certificates), 12.1 answers a WAN
 * matrix. Throws `Refusal` (E19) when the request is not for the DCC or names a Comms Hub it does not know.
 */
export function runNonDeviceRequest(
  request: { readonly variant: ServiceRequestVariant; readonly body: XmlNode; readonly targetId: string },
  registers: DccRegisters,
): { readonly wanMatrix?: WanMatrix & { requestXml: string } } {
  const { variant, body } = request;
  const { smi, typeOf } = registers;
  if (request.targetId !== TEST_DCC_ID) throw new Refusal('E19', 'non-device requests are addressed to the DCC');
  if (variant === '8.14.1' || variant === '8.14.2') {
    const chf = toDuisEui(text(body.DeviceID) ?? '');
    if (!smi.has(chf)) throw new Refusal('E19', `Comms Hub ${chf} is not in the SMI`);
    smi.set(chf, variant === '8.14.1' ? 'Commissioned' : 'InstalledNotCommissioned');
  }
  if (variant === '12.2') {
    const device = toDuisEui(text(body.DeviceID) ?? '');
    if (!smi.has(device)) smi.set(device, 'Pending');
    typeOf.set(device, text(body.DeviceType) ?? '');
    registers.devicePki.issue(device, (text(body.DeviceType) ?? 'unknown') as DeviceIdentity['type']);
  }
  return variant === '12.1' ? { wanMatrix: wanMatrixFor(body) } : {};
}

/** Postcode areas of Scotland and the north of England: the CSP North region. */
const NORTH_AREAS = [
  'AB',
  'DD',
  'DG',
  'EH',
  'FK',
  'G',
  'IV',
  'KA',
  'KY',
  'ML',
  'PA',
  'PH',
  'TD',
  'BD',
  'DH',
  'DL',
  'HG',
  'HU',
  'HX',
  'LS',
  'NE',
  'SR',
  'TS',
  'WF',
  'YO',
  'CA',
  'LA',
  'BB',
  'PR',
  'FY',
  'L',
  'M',
];

/**
 * A plausible WAN answer for training: the CSP region from the postcode area (Scotland and the north of England
 * are "North"), coverage available, an aerial suggested for flats.
 */
function wanMatrixFor(body: XmlNode): WanMatrix & { requestXml: string } {
  const uprn = text(body.UPRN);
  const partial = (body.PartialAddress ?? {}) as XmlNode;
  const postcode = (text(partial.PostCode) ?? '').toUpperCase();
  const address = text(partial.AddressIdentifier) ?? '';
  const area = /^[A-Z]{1,2}/.exec(postcode)?.[0] ?? '';
  const flat = /flat|apartment/i.test(address);
  return {
    requestXml: uprn ? el('sr:UPRN', uprn) : wrap('sr:PartialAddress', el('sr:PostCode', text(partial.PostCode)) + el('sr:AddressIdentifier', address)),
    cspRegion: uprn ? 'Unknown' : NORTH_AREAS.includes(area) ? 'North' : 'South',
    coverageAvailability: true,
    wanTechnology: NORTH_AREAS.includes(area) ? 'Long Range Radio' : 'Cellular',
    connectivityLikelihood: flat ? 'Medium' : 'High',
    ...(flat ? { auxiliaryEquipmentRequired: 'External aerial' } : {}),
  };
}
