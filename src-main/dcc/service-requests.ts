import { z } from 'zod';
import { isEui64, toDuisEui } from './eui';
import { el, wrap } from './xml-text';

/**
 * The installer's DUIS service requests: parameters (zod, checked at the boundary), the body element in XSD
 * order (DUIS Schema V5.1), the RequestID target and the CommandVariant. Critical requests (8.1.1 commission,
 * 8.7.1 join) are `critical: true`: they go to serviceT with CV 4, come back as a GBCS pre-command the User
 * signs (critical-request.ts), and that goes to serviceS as a `SignedPreCommand` with CV 5, 6 or 7.
 * 11.2 reads the firmware version of an ESME, GSME, Comms Hub, PPMID or HCALCS (GBCS ECS52, GCS38, CS08).
 */
export const SERVICE_REQUEST_VARIANTS = ['8.14.1', '8.14.2', '12.1', '12.2', '8.11', '8.9', '8.7.2', '4.1.1', '8.1.1', '8.7.1', '11.2'] as const;
export type ServiceRequestVariant = (typeof SERVICE_REQUEST_VARIANTS)[number];

export function isServiceRequestVariant(value: string): value is ServiceRequestVariant {
  return (SERVICE_REQUEST_VARIANTS as readonly string[]).includes(value);
}

const eui = z.string().refine(isEui64, 'must be an EUI-64 (16 hex digits, dashes optional)').transform(toDuisEui);
const dateTime = z.iso.datetime({ offset: true });
const bool = z.boolean();
const text = (max: number) => z.string().max(max);
const CHF_LOCATIONS = ['Outside Premises', 'Indoors on external wall', 'Deep indoors', 'Basement or Cellar'] as const;
const PREMISE_TYPES = ['Detached / Semi Detached', 'Terraced', 'Low Rise Apartment (MDU <= 5 floors)', 'High Rise Apartment (MDU > 5 floors)'] as const;
const DEVICE_TYPES = ['ESME', 'GSME', 'GPF', 'CHF', 'HCALCS', 'PPMID', 'IHD', 'CAD'] as const;
const ESME_VARIANTS = [
  'A',
  'B',
  'C',
  'AD',
  'BD',
  'CD',
  'ADE',
  'BDE',
  'CDE',
  'ADF',
  'BDF',
  'CDF',
  'ADEF',
  'BDEF',
  'CDEF',
  'ADG',
  'ADEG',
  'AF',
  'BF',
  'CF',
  'AEF',
  'BEF',
  'CEF',
  'AG',
  'AEG',
] as const;
/** Device SRs may be sent over the WAN (1), for local delivery (2) or both (3). */
const deviceCv = z.union([z.literal(1), z.literal(2), z.literal(3)]).default(1);
/**
 * A critical request's Transform leg is always CV 4; this is the CommandVariant its signed pre-command is sent
 * with: over the WAN (5), for local delivery (6) or both (7).
 */
const signedCv = z.union([z.literal(5), z.literal(6), z.literal(7)]).default(5);

const chfCommon = {
  chfId: eui,
  installDateTime: dateTime.optional(),
  userRefId: text(25).optional(),
  mpxn: z.string().min(1).max(13),
  gisData: text(25).optional(),
  aerialInstall: bool,
  chfLocation: z.enum(CHF_LOCATIONS),
};

export const serviceRequestParams = {
  '8.14.1': z.strictObject({
    ...chfCommon,
    installType: z.enum(['New CHF Install', 'Replacement CHF Install']).default('New CHF Install'),
    additionalInformation: text(200).optional(),
  }),
  '8.14.2': z.strictObject({
    ...chfCommon,
    installType: z.enum(['New CHF Install', 'Replacement CHF Install', 'CHF Install - no SM WAN']).default('CHF Install - no SM WAN'),
    premiseType: z.enum(PREMISE_TYPES),
    metalObstructionCheck: bool,
    connectivityObstructionCheck: bool,
    sharedObstructionCheck: bool,
    additionalInformation: text(200).optional(),
  }),
  '12.1': z.union([
    z.strictObject({ uprn: z.string().regex(/^[1-9]\d{0,11}$/, 'UPRN: up to 12 digits') }),
    z.strictObject({ postcode: z.string().min(6).max(8), addressIdentifier: text(30) }),
  ]),
  '12.2': z.strictObject({
    deviceId: eui,
    manufacturer: text(30),
    model: text(30),
    deviceType: z.enum(DEVICE_TYPES),
    smetsChtsVersion: z.string().min(1).max(20).optional(),
    firmwareVersion: z.string().min(1).max(8).optional(),
    esmeVariant: z.enum(ESME_VARIANTS).optional(),
    associatedGpfDeviceId: eui.optional(),
  }),
  '8.11': z
    .strictObject({
      chfId: eui,
      deviceId: eui,
      requestType: z.enum(['Add', 'Remove']),
      /** Seconds the CHF keeps the join window open (DUIS: 1–3600). */
      joinTimePeriod: z.number().int().min(1).max(3600).optional(),
      /** 6–16 octets, hex, without the ZigBee CRC. */
      installCode: z
        .string()
        .regex(/^([0-9A-Fa-f]{2}){6,16}$/, 'install code: 6–16 bytes of hex')
        .transform((s) => s.toUpperCase())
        .optional(),
      importMpxn: z.string().min(1).max(13).optional(),
      secondaryImportMpan: z.string().length(13).optional(),
      exportMpan: z.string().length(13).optional(),
      executionDateTime: dateTime.optional(),
      commandVariant: deviceCv,
    })
    .refine((p) => p.requestType === 'Remove' || (p.joinTimePeriod !== undefined && p.installCode !== undefined), {
      message: 'Add needs joinTimePeriod and installCode',
    }),
  '8.9': z.strictObject({ deviceId: eui, readSecurityDetails: bool.optional(), executionDateTime: dateTime.optional(), commandVariant: deviceCv }),
  '8.7.2': z.strictObject({ deviceId: eui, otherDeviceId: eui, commandVariant: deviceCv }),
  '4.1.1': z.strictObject({ deviceId: eui, executionDateTime: dateTime.optional(), commandVariant: deviceCv }),
  '8.1.1': z.strictObject({
    deviceId: eui,
    /** The time the meter's clock is set to; absent: when the request is built. */
    currentDateTime: dateTime.optional(),
    /** Seconds either side of it the device accepts (DUIS tolerancePeriod: 0–86400). */
    tolerancePeriod: z.number().int().min(0).max(86_400).default(60),
    commandVariant: signedCv,
  }),
  /** Method A join: the meter (RequestID target) adds the PPMID (or HCALCS) to its device log. */
  '8.7.1': z.strictObject({ deviceId: eui, otherDeviceId: eui, commandVariant: signedCv }),
  '11.2': z.strictObject({ deviceId: eui, executionDateTime: dateTime.optional(), commandVariant: deviceCv }),
} satisfies Record<ServiceRequestVariant, z.ZodType>;

export type ServiceRequestParams<V extends ServiceRequestVariant> = z.input<(typeof serviceRequestParams)[V]>;
type Parsed<V extends ServiceRequestVariant> = z.output<(typeof serviceRequestParams)[V]>;

export interface ServiceRequestDefinition<V extends ServiceRequestVariant> {
  readonly variant: V;
  readonly name: string;
  readonly serviceReference: string;
  /** Non-device requests go to serviceD with CommandVariant 8 and are answered synchronously by the DCC. */
  readonly nonDevice: boolean;
  /** Critical: CV 4 to serviceT, then the signed pre-command with `signedCommandVariant` to serviceS. */
  readonly critical: boolean;
  readonly bodyElement: string;
  /** RequestID target: the device, or the DCC itself for non-device requests (`dccId`). */
  target(params: Parsed<V>, dccId: string): string;
  commandVariant(params: Parsed<V>): number;
  signedCommandVariant?(params: Parsed<V>): number;
  /** Children of the body element, XSD order, `sr:` prefixed. */
  body(params: Parsed<V>): string;
}

const sr = (name: string, value: string | number | boolean | undefined): string => el(`sr:${name}`, value);

function chfBody(p: Parsed<'8.14.1'> | Parsed<'8.14.2'>): string {
  return (
    sr('DeviceID', p.chfId) +
    sr('CHFInstallType', p.installType) +
    sr('InstallDateTime', p.installDateTime) +
    sr('UserRefID', p.userRefId) +
    sr('MPxN', p.mpxn) +
    sr('GISData', p.gisData) +
    sr('AerialInstall', p.aerialInstall) +
    sr('CHFLocation', p.chfLocation)
  );
}

const definitions: { [V in ServiceRequestVariant]: ServiceRequestDefinition<V> } = {
  '8.14.1': {
    variant: '8.14.1',
    name: 'Communications Hub Status Update – Install Success',
    serviceReference: '8.14',
    nonDevice: true,
    critical: false,
    bodyElement: 'CHFInstallSuccessSMWAN',
    target: (_p, dcc) => dcc,
    commandVariant: () => 8,
    body: (p) => chfBody(p) + sr('AdditionalInformation', p.additionalInformation),
  },
  '8.14.2': {
    variant: '8.14.2',
    name: 'Communications Hub Status Update – Install No SM WAN',
    serviceReference: '8.14',
    nonDevice: true,
    critical: false,
    bodyElement: 'CHFInstallSuccessNoSMWAN',
    target: (_p, dcc) => dcc,
    commandVariant: () => 8,
    body: (p) =>
      chfBody(p) +
      sr('PremiseType', p.premiseType) +
      sr('MetalObstructionCheck', p.metalObstructionCheck) +
      sr('ConnectivityObstructionCheck', p.connectivityObstructionCheck) +
      sr('SharedObstructionCheck', p.sharedObstructionCheck) +
      sr('AdditionalInformation', p.additionalInformation),
  },
  '12.1': {
    variant: '12.1',
    name: 'Request WAN Matrix',
    serviceReference: '12.1',
    nonDevice: true,
    critical: false,
    bodyElement: 'RequestWANMatrix',
    target: (_p, dcc) => dcc,
    commandVariant: () => 8,
    body: (p) => ('uprn' in p ? sr('UPRN', p.uprn) : wrap('sr:PartialAddress', sr('PostCode', p.postcode) + sr('AddressIdentifier', p.addressIdentifier))),
  },
  '12.2': {
    variant: '12.2',
    name: 'Device Pre-notification',
    serviceReference: '12.2',
    nonDevice: true,
    critical: false,
    bodyElement: 'DevicePrenotification',
    target: (_p, dcc) => dcc,
    commandVariant: () => 8,
    body: (p) =>
      sr('DeviceID', p.deviceId) +
      sr('DeviceManufacturer', p.manufacturer) +
      sr('DeviceModel', p.model) +
      sr('DeviceType', p.deviceType) +
      sr('SMETSCHTSVersion', p.smetsChtsVersion) +
      sr('FirmwareVersion', p.firmwareVersion) +
      sr('ESMEVariant', p.esmeVariant) +
      sr('AssociatedGPFDeviceID', p.associatedGpfDeviceId),
  },
  '8.11': {
    variant: '8.11',
    name: 'Update HAN Device Log',
    serviceReference: '8.11',
    nonDevice: false,
    critical: false,
    bodyElement: 'UpdateHANDeviceLog',
    target: (p) => p.chfId,
    commandVariant: (p) => p.commandVariant,
    body: (p) =>
      sr('ExecutionDateTime', p.executionDateTime) +
      sr('DeviceID', p.deviceId) +
      sr('RequestType', p.requestType) +
      (p.requestType === 'Add'
        ? wrap(
            'sr:AddDeviceToCHFWhitelist',
            sr('JoinTimePeriod', p.joinTimePeriod) +
              sr('InstallCode', p.installCode) +
              sr('ImportMPxN', p.importMpxn) +
              sr('SecondaryImportMPAN', p.secondaryImportMpan) +
              sr('ExportMPAN', p.exportMpan),
          )
        : ''),
  },
  '8.9': {
    variant: '8.9',
    name: 'Read Device Log',
    serviceReference: '8.9',
    nonDevice: false,
    critical: false,
    bodyElement: 'ReadDeviceLog',
    target: (p) => p.deviceId,
    commandVariant: (p) => p.commandVariant,
    body: (p) => sr('ExecutionDateTime', p.executionDateTime) + (p.readSecurityDetails ? '<sr:ReadSecurityDetails/>' : ''),
  },
  '8.7.2': {
    variant: '8.7.2',
    name: 'Join Service (Non-Critical)',
    serviceReference: '8.7',
    nonDevice: false,
    critical: false,
    bodyElement: 'JoinServiceNonCritical',
    target: (p) => p.deviceId,
    commandVariant: (p) => p.commandVariant,
    body: (p) => sr('OtherDeviceID', p.otherDeviceId),
  },
  '4.1.1': {
    variant: '4.1.1',
    name: 'Read Instantaneous Import Registers',
    serviceReference: '4.1',
    nonDevice: false,
    critical: false,
    bodyElement: 'ReadInstantaneousImportRegisters',
    target: (p) => p.deviceId,
    commandVariant: (p) => p.commandVariant,
    body: (p) => sr('ExecutionDateTime', p.executionDateTime),
  },
  '8.1.1': {
    variant: '8.1.1',
    name: 'Commission Device',
    serviceReference: '8.1',
    nonDevice: false,
    critical: true,
    bodyElement: 'CommissionDeviceSynchroniseClock',
    target: (p) => p.deviceId,
    commandVariant: () => 4,
    signedCommandVariant: (p) => p.commandVariant,
    body: (p) =>
      sr('CurrentDateTime', p.currentDateTime ?? new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z')) +
      sr('TolerancePeriod', p.tolerancePeriod),
  },
  '8.7.1': {
    variant: '8.7.1',
    name: 'Join Service (Critical)',
    serviceReference: '8.7',
    nonDevice: false,
    critical: true,
    bodyElement: 'JoinServiceCritical',
    target: (p) => p.deviceId,
    commandVariant: () => 4,
    signedCommandVariant: (p) => p.commandVariant,
    body: (p) => sr('OtherDeviceID', p.otherDeviceId),
  },
  '11.2': {
    variant: '11.2',
    name: 'Read Firmware Version',
    serviceReference: '11.2',
    nonDevice: false,
    critical: false,
    bodyElement: 'ReadFirmwareVersion',
    target: (p) => p.deviceId,
    commandVariant: (p) => p.commandVariant,
    // DUIS: ReadFirmwareVersion extends FutureDatedAbstractType and adds nothing (future dating held by the DSP).
    body: (p) => sr('ExecutionDateTime', p.executionDateTime),
  },
};

export function serviceRequestDefinition<V extends ServiceRequestVariant>(variant: V): ServiceRequestDefinition<V> {
  return definitions[variant];
}
