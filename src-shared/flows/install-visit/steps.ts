import type { DeviceType } from '../../model/job';
import type { VisitAnswers } from '../../model/visit-events';
import type { VisitRoute, VisitStepKind } from '../../model/visit-vocabulary';

/**
 * What each step of a visit is: its title, what it will do (said to the engineer before it runs), what a person
 * must enter first, whether it may be skipped (always with a reason) and whether it may end "pending" (a
 * critical DCC request the DCC side cannot do yet). The plan of a visit is built from the route and the job's
 * device list, so a device added mid-visit gets its steps and the plan never needs storing.
 */
export interface StepDefinition {
  readonly title: string;
  /** What the step will do, in the engineer's words. */
  readonly action: string;
  /** The answer form a person fills before the step can run (see visit-events.ts visitAnswersSchema). */
  readonly needs?: VisitAnswers['form'];
  readonly skippable: boolean;
  readonly canPend: boolean;
  /** Needs a person's judgement: an unattended run skips it with the reason "unattended run". */
  readonly judgement?: boolean;
}

const step = (title: string, action: string, extra: Partial<StepDefinition> = {}): StepDefinition => ({
  title,
  action,
  skippable: true,
  canPend: false,
  ...extra,
});

/** Step definitions by route, so a kind shared by both routes can say what it does on each. */
export const STEP_DEFINITIONS: Readonly<Record<VisitStepKind, StepDefinition>> = {
  arrival: step('Arrival and pre-checks', 'Confirm the job details and the MPAN/MPRN on site; check WAN coverage with the DCC (12.1) where it is reachable.', {
    needs: 'pre-checks',
    skippable: false,
  }),
  'remove-meters': step('Remove existing meters', 'Record each removed meter: serial, final reading and how it was read (display, HAN or optical).', {
    needs: 'removed-meter',
  }),
  'fit-comms-hub': step(
    'Fit the Comms Hub',
    'Record the hub details and send 8.14.1 (install success), or 8.14.2 when there is no SM WAN (install and leave).',
    {
      needs: 'comms-hub',
      skippable: false,
    },
  ),
  whitelist: step('Add to the hub device log', 'Send 8.11 Update HAN Device Log (Add) with the device EUI-64 and install code, opening its join window.'),
  'await-join': step('Wait for the join', 'Wait for the device to join the Comms Hub HAN (no service request: the meter does this itself).'),
  commission: step('Commission', 'Send 8.1.1 Commission Device (a critical request); where the DCC side cannot, it is recorded as pending.', { canPend: true }),
  'first-read': step(
    'First read',
    "Send 4.1.1 Read Instantaneous Import Registers and record the reading that comes back, with the meter's firmware version (11.2).",
  ),
  'join-service': step('Join to the meters', 'Send the join service request: 8.7.2 for an IHD (to the ESME and the GPF), 8.7.1 for a PPMID (critical).', {
    canPend: true,
  }),
  'device-log-check': step('Check the hub device log', 'Send 8.9 Read Device Log and check every fitted device is on it.'),
  'ihd-pairing-check': step('Check the IHD', 'Look at the IHD: confirm it shows electricity (and gas) data.', { needs: 'ihd-pairing-check', judgement: true }),
  'rf-survey': step('RF survey positions', 'Record signal readings at the positions you check (skip with a reason where no diagnostics exist).', {
    needs: 'rf-survey-position',
    judgement: true,
  }),
  'form-network': step('Form the job network', "Start the job's own ZigBee network on the coordinator (random PAN ID, extended PAN ID and key).", {
    skippable: false,
  }),
  'device-log': step('Fill the device log', "Put every device's EUI-64 and install code on the coordinator's device log (scan or type each label)."),
  join: step('Join', 'Open joining and wait for the device to join with its install-code key.'),
  interview: step('Interview', 'Wait for the device to be interviewed and recognised (ESME, GSME, IHD, PPMID).'),
  read: step('Read', 'Read the meter over the HAN (Metering cluster, scaled with its unit).'),
  'pair-ihd': step('Pair the IHD', 'Bind the IHD to the electricity meter and wait for the IHD to confirm a report.'),
  'mbus-meters': step('M-Bus meters', 'Read the M-Bus meters on the job (wired or wireless); optional.'),
  verification: step('End-to-end verification', 'Compare the meter reading by two routes (HAN vs the display; HAN vs the DCC on the training premises).', {
    needs: 'display-reading',
  }),
  completion: step('Completion', 'Close the visit and record its outcome.', { skippable: false }),
};

/** The step's definition with route-specific wording where one kind differs by route. */
export function stepDefinition(kind: VisitStepKind, route: VisitRoute): StepDefinition {
  const base = STEP_DEFINITIONS[kind];
  if (kind === 'verification' && route === 'live-comms-hub')
    return { ...base, action: 'Compare the meter display with the first read the DCC returned (4.1.1).' };
  return base;
}

/** One step of a visit's plan. `key` is "<kind>" or "<kind>:<deviceId>" (the events carry kind and device id). */
export interface PlannedStep {
  readonly key: string;
  readonly kind: VisitStepKind;
  readonly deviceId?: string;
  readonly deviceType?: DeviceType;
}

export function stepKey(kind: VisitStepKind, deviceId?: string): string {
  return deviceId === undefined ? kind : `${kind}:${deviceId}`;
}

export interface PlanDevice {
  readonly id: string;
  readonly type: DeviceType;
}

const HAN_TYPES: readonly DeviceType[] = ['ESME', 'GSME', 'IHD', 'PPMID'];
const METERS: readonly DeviceType[] = ['ESME', 'GSME'];

/** The live route's per-device chain (domain reference §7): meters 8.11 → join → 8.1.1 → 4.1.1; IHD/PPMID 8.11 → join → 8.7.x. */
function liveDeviceSteps(device: PlanDevice): VisitStepKind[] {
  if (METERS.includes(device.type)) return ['whitelist', 'await-join', 'commission', 'first-read'];
  return ['whitelist', 'await-join', 'join-service'];
}

/** Devices in commissioning order: electricity first (the hub sits on it), then gas, IHD, PPMID. */
function ordered(devices: readonly PlanDevice[]): PlanDevice[] {
  return HAN_TYPES.flatMap((type) => devices.filter((d) => d.type === type));
}

const once = (kind: VisitStepKind): PlannedStep => ({ key: kind, kind });
const perDevice = (kind: VisitStepKind, device: PlanDevice): PlannedStep => ({
  key: stepKey(kind, device.id),
  kind,
  deviceId: device.id,
  deviceType: device.type,
});

/** The steps of a visit on a route for the job's devices, in the order they are done. */
export function planVisit(route: VisitRoute, devices: readonly PlanDevice[]): PlannedStep[] {
  const han = ordered(devices);
  if (route === 'live-comms-hub') {
    return [
      once('arrival'),
      once('remove-meters'),
      once('fit-comms-hub'),
      ...han.flatMap((d) => liveDeviceSteps(d).map((kind) => perDevice(kind, d))),
      once('device-log-check'),
      once('ihd-pairing-check'),
      once('rf-survey'),
      once('verification'),
      once('completion'),
    ];
  }
  return [
    once('form-network'),
    once('device-log'),
    ...han.map((d) => perDevice('join', d)),
    ...han.map((d) => perDevice('interview', d)),
    ...han.filter((d) => METERS.includes(d.type)).map((d) => perDevice('read', d)),
    once('pair-ihd'),
    once('mbus-meters'),
    once('verification'),
    once('completion'),
  ];
}
