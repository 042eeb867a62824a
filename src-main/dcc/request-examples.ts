import type { PremisesModel, VirtualDeviceType } from '../premises/premises-model';
import type { ServiceRequestParams, ServiceRequestVariant } from './service-requests';

function eui(model: PremisesModel, type: VirtualDeviceType): string {
  const device = model.devices.find((d) => d.type === type);
  if (!device) throw new Error(`the training premises has no ${type}`);
  return device.eui64;
}

/**
 * Complete example parameters for each service request, every field filled from the training premises so the
 * output is a full, valid request (`hantool duis <srv> --example`, oracle tests).
 */
export function exampleParams<V extends ServiceRequestVariant>(variant: V, model: PremisesModel, at = new Date()): ServiceRequestParams<V> {
  const when = new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString();
  const ihd = model.devices.find((d) => d.type === 'IHD')!;
  const chf = {
    chfId: eui(model, 'CHF'),
    installDateTime: when,
    userRefId: `JOB-${model.seed}`,
    mpxn: model.mpan,
    gisData: `${model.address.postcode}`,
    aerialInstall: false,
    chfLocation: 'Indoors on external wall' as const,
  };
  const examples: { [V in ServiceRequestVariant]: ServiceRequestParams<V> } = {
    '8.14.1': { ...chf, installType: 'New CHF Install', additionalInformation: `Fitted to ESME at ${model.address.line1}` },
    '8.14.2': {
      ...chf,
      installType: 'CHF Install - no SM WAN',
      aerialInstall: true,
      premiseType: 'Terraced',
      metalObstructionCheck: false,
      connectivityObstructionCheck: true,
      sharedObstructionCheck: false,
      additionalInformation: 'No SM WAN at install; external aerial fitted',
    },
    '12.1': { postcode: model.address.postcode, addressIdentifier: model.address.line1 },
    '12.2': {
      deviceId: eui(model, 'ESME'),
      manufacturer: 'HAN Training',
      model: 'ESME-T1',
      deviceType: 'ESME',
      smetsChtsVersion: 'SMETS2 V4.2',
      firmwareVersion: '1.0.0',
      esmeVariant: 'A',
    },
    '8.11': {
      chfId: eui(model, 'CHF'),
      deviceId: ihd.eui64,
      requestType: 'Add',
      joinTimePeriod: 3600,
      installCode: ihd.installCode,
      commandVariant: 1,
    },
    '8.9': { deviceId: eui(model, 'CHF'), commandVariant: 1 },
    '8.7.2': { deviceId: eui(model, 'ESME'), otherDeviceId: ihd.eui64, commandVariant: 1 },
    '4.1.1': { deviceId: eui(model, 'ESME'), commandVariant: 1 },
    '8.1.1': { deviceId: eui(model, 'ESME'), currentDateTime: when, tolerancePeriod: 60, commandVariant: 5 },
    '8.7.1': { deviceId: eui(model, 'ESME'), otherDeviceId: eui(model, 'PPMID'), commandVariant: 5 },
    '11.2': { deviceId: eui(model, 'ESME'), commandVariant: 1 },
  };
  return examples[variant];
}
