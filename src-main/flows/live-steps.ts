import type { VisitStepKind } from '../../src-shared/model/visit-vocabulary';
import type { VisitAnswers } from '../../src-shared/model/visit-events';
import type { RevealedJob } from '../../src-shared/model/job';
import { findStep } from '../../src-shared/flows/install-visit';
import type { DccRequestRecord } from '../dcc/dcc-gateway';
import { compareReadings, displayReading } from '../dcc/read-verification';
import { stepDevice, type StepContext, type StepExecutor, type StepOutcome } from './visit-services';

/**
 * The live Comms Hub route's side effects: DUIS service requests through the app's DCC gateway (domain reference
 * §7), each one a dcc.request event. The Comms Hub is the HAN coordinator here; the laptop never joins the HAN.
 * Critical requests (8.1.1 commission, 8.7.1 PPMID join) go through Transform and pre-command signing; where the
 * DCC side cannot take them (no GBCS signing key for the User, a DCC refusing CommandVariant 4) those steps end
 * pending, said plainly, and the visit ends commissioned-pending.
 */

const answersOf = <F extends VisitAnswers['form']>(ctx: StepContext, form: F): Extract<VisitAnswers, { form: F }>[] =>
  ctx.step.answers.filter((a): a is Extract<VisitAnswers, { form: F }> => a.form === form);

function hubAnswers(ctx: StepContext): Extract<VisitAnswers, { form: 'comms-hub' }> | undefined {
  return findStep(ctx.visit, 'fit-comms-hub')?.answers.findLast((a): a is Extract<VisitAnswers, { form: 'comms-hub' }> => a.form === 'comms-hub');
}

function chfId(ctx: StepContext): string {
  const id = hubAnswers(ctx)?.chfId ?? ctx.job.devices.find((d) => d.type === 'CHF' && d.eui64)?.eui64;
  if (!id) throw new Error('The Comms Hub ID is not known: record the hub at "Fit the Comms Hub"');
  return id;
}

function requireGateway(ctx: StepContext): void {
  if (!ctx.services.dcc?.gateway()) throw new Error('No DCC connection: configure DCC Boxed or start the training premises (DCC screen)');
}

/** A request's outcome in words, with its RequestID and response code. */
function requestOutcome(record: DccRequestRecord, okSummary: string, success: boolean): StepOutcome {
  const code = record.responseCode ? ` ${record.responseCode}` : '';
  if (record.state === 'queued')
    return {
      result: 'failed',
      summary: `${record.name} queued`,
      reason: `The DCC is unreachable; the request is queued (RequestID ${record.requestId})`,
      requestIds: [record.requestId],
    };
  if (record.state === 'completed' && success) return { result: 'done', summary: okSummary, requestIds: [record.requestId] };
  const why =
    record.state === 'completed' ? 'the device reported failure' : `${record.state}${code}${record.responseMeaning ? `: ${record.responseMeaning}` : ''}`;
  return {
    result: 'failed',
    summary: `${record.variant} ${record.name} did not succeed`,
    reason: `${why}${record.lastError ? ` (${record.lastError})` : ''}`.slice(0, 500),
    ...(record.responseCode ? { failureCode: record.responseCode } : {}),
    requestIds: [record.requestId],
  };
}

const pending = (what: string, record: DccRequestRecord): StepOutcome => ({
  result: 'pending',
  summary: `${what} not sent: pending`,
  reason:
    `${what} is a critical service request (it needs a signed pre-command); this DCC connection cannot send it (${record.lastError ?? record.responseMeaning ?? record.state}), so it is pending at the DCC`.slice(
      0,
      500,
    ),
  requestIds: [record.requestId],
});

/** A critical request the DCC side cannot take: no GBCS signing key here, or a DCC refusing CV 4 or its endpoint. */
const criticalUnsupported = (record: DccRequestRecord): boolean =>
  record.critical?.phase === 'transform' &&
  ((record.state === 'failed' && /no GBCS digital-signing key/.test(record.lastError ?? '')) ||
    (record.state === 'rejected' && (record.responseCode === 'E12' || record.responseCode === 'E13')));

/** Sends a critical request; its outcome, or pending where the DCC side cannot take critical requests. */
async function critical(ctx: StepContext, what: string, send: () => Promise<DccRequestRecord>, okSummary: string): Promise<StepOutcome> {
  requireGateway(ctx);
  ctx.progress({ text: `Sending ${what} (the DCC returns a pre-command; it is checked and signed, then sent)` });
  const record = await send();
  if (criticalUnsupported(record)) return pending(what, record);
  const join = record.gbcs?.ok && record.gbcs.result?.kind === 'join' ? record.gbcs.result : undefined;
  return { ...requestOutcome(record, okSummary, true), ...(join && !join.success ? { failureCode: join.reason } : {}) };
}

const arrival: StepExecutor = {
  async run(ctx): Promise<StepOutcome> {
    const checks = answersOf(ctx, 'pre-checks').at(-1)!;
    if (!checks.jobDetailsConfirmed) return { result: 'failed', summary: 'Job details not confirmed', reason: 'Confirm the job details match the premises' };
    if (!ctx.services.dcc?.gateway())
      return { result: 'done', summary: 'Job details confirmed; no DCC connection for a WAN check', details: { wanCheck: 'not available' } };
    ctx.progress({ text: 'Checking WAN coverage with the DCC (12.1)' });
    const { address } = ctx.job.premises;
    const record = await ctx.dcc('12.1', { postcode: address.postcode, addressIdentifier: address.line1.slice(0, 30) }, 'wan-matrix');
    const wan = record.wanMatrix;
    if (record.state !== 'completed' || !wan)
      return {
        result: 'done',
        summary: `Job details confirmed; WAN check ${record.state}`,
        requestIds: [record.requestId],
        details: { wanCheck: record.state },
      };
    return {
      result: 'done',
      summary: `Job details confirmed; WAN coverage ${wan.coverageAvailability ? 'available' : 'not available'}, likelihood ${wan.connectivityLikelihood ?? 'unknown'}`,
      requestIds: [record.requestId],
      details: {
        wanCoverage: wan.coverageAvailability,
        cspRegion: wan.cspRegion ?? 'unknown',
        ...(wan.connectivityLikelihood ? { connectivityLikelihood: wan.connectivityLikelihood } : {}),
        ...(wan.auxiliaryEquipmentRequired ? { auxiliaryEquipment: wan.auxiliaryEquipmentRequired } : {}),
      },
    };
  },
};

const removeMeters: StepExecutor = {
  async run(ctx) {
    const meters = answersOf(ctx, 'removed-meter');
    const list = meters.map((m) => `${m.fuel} ${m.serial} at ${m.finalReading.value} ${m.finalReading.unit} (${m.readMethod})`).join('; ');
    return {
      result: 'done',
      summary: `${meters.length} meter${meters.length === 1 ? '' : 's'} removed: ${list}`.slice(0, 500),
      details: { removed: meters.length },
    };
  },
};

const fitCommsHub: StepExecutor = {
  async run(ctx) {
    requireGateway(ctx);
    const hub = hubAnswers(ctx)!;
    const mpxn = ctx.job.premises.mpan ?? ctx.job.premises.mprn;
    if (!mpxn) return { result: 'failed', summary: 'No MPAN or MPRN', reason: 'The job needs an MPAN (or MPRN) for the Comms Hub status update' };
    const chf = ctx.job.devices.find((d) => d.type === 'CHF');
    if (!chf) await ctx.record('device.added', { type: 'CHF', eui64: hub.chfId, status: 'installed' });
    else if (chf.eui64 !== hub.chfId || chf.status !== 'installed') await ctx.record('device.updated', { id: chf.id, eui64: hub.chfId, status: 'installed' });
    const common = { chfId: hub.chfId, mpxn, aerialInstall: hub.aerialInstall, chfLocation: hub.location, ...(hub.gisData ? { gisData: hub.gisData } : {}) };
    ctx.progress({ text: hub.wanAvailable ? 'Sending 8.14.1 (install success)' : 'Sending 8.14.2 (installed with no SM WAN)' });
    const record = hub.wanAvailable
      ? await ctx.dcc('8.14.1', { ...common, ...(hub.additionalInformation ? { additionalInformation: hub.additionalInformation } : {}) }, 'status')
      : await ctx.dcc(
          '8.14.2',
          {
            ...common,
            premiseType: hub.premiseType,
            metalObstructionCheck: hub.metalObstructionCheck ?? false,
            connectivityObstructionCheck: hub.connectivityObstructionCheck ?? false,
            sharedObstructionCheck: hub.sharedObstructionCheck ?? false,
            ...(hub.additionalInformation ? { additionalInformation: hub.additionalInformation } : {}),
          },
          'status',
        );
    const outcome = requestOutcome(
      record,
      hub.wanAvailable ? 'Comms Hub installed (8.14.1)' : 'Comms Hub installed without SM WAN (8.14.2): install and leave',
      true,
    );
    return { ...outcome, eui64: hub.chfId, details: { connectionMethod: hub.connectionMethod, location: hub.location, wan: hub.wanAvailable } };
  },
};

const whitelist: StepExecutor = {
  async run(ctx) {
    requireGateway(ctx);
    const device = stepDevice(ctx);
    if (!device.eui64 || !device.installCode)
      return { result: 'failed', summary: 'Label not scanned', reason: `Scan the label of ${device.type} ${device.id} (EUI-64 and install code)` };
    ctx.progress({ text: `Sending 8.11 to add the ${device.type} to the hub device log` });
    const record = await ctx.dcc(
      '8.11',
      { chfId: chfId(ctx), deviceId: device.eui64, requestType: 'Add', joinTimePeriod: 3600, installCode: device.installCode.slice(0, -4) },
      'add',
    );
    const data = record.mmc?.data;
    const outcome = requestOutcome(record, 'On the Comms Hub device log (8.11), join window 3600 s', data?.kind === 'han-device-log-updated' && data.success);
    if (outcome.result === 'done') await ctx.record('device.updated', { id: device.id, status: 'installed', statusReason: null });
    return { ...outcome, eui64: device.eui64 };
  },
};

async function readDeviceLog(ctx: StepContext, tag: string): Promise<{ record: DccRequestRecord; ids: string[] | undefined }> {
  const record = await ctx.dcc('8.9', { deviceId: chfId(ctx) }, tag);
  const data = record.mmc?.data;
  return {
    record,
    ids: record.state === 'completed' && data?.kind === 'chf-device-log' ? data.entries.map((e) => e.deviceId.replace(/-/g, '').toUpperCase()) : undefined,
  };
}

const awaitJoin: StepExecutor = {
  async run(ctx) {
    requireGateway(ctx);
    const device = stepDevice(ctx);
    ctx.progress({ text: `Reading the hub device log (8.9) for the ${device.type}` });
    const { record, ids } = await readDeviceLog(ctx, 'join-check');
    if (!ids) return requestOutcome(record, '', false);
    if (!ids.includes(device.eui64!))
      return {
        result: 'failed',
        summary: 'Not on the hub device log',
        reason: `${device.type} ${device.eui64} is not on the Comms Hub device log`,
        requestIds: [record.requestId],
      };
    return {
      result: 'done',
      summary: 'On the Comms Hub device log (8.9); the meter display shows it joined',
      eui64: device.eui64!,
      requestIds: [record.requestId],
    };
  },
};

const commission: StepExecutor = {
  async run(ctx) {
    const device = stepDevice(ctx);
    const what = `8.1.1 Commission Device (${device.type === 'GSME' ? 'GCS28' : 'ECS70'})`;
    const send = () => ctx.dcc('8.1.1', { deviceId: device.eui64! }, 'commission');
    const outcome = await critical(ctx, what, send, `Commissioned, clock synchronised (${what})`);
    if (outcome.result === 'done') await ctx.record('device.updated', { id: device.id, status: 'commissioned', statusReason: null });
    return { ...outcome, eui64: device.eui64! };
  },
};

const firstRead: StepExecutor = {
  async run(ctx) {
    requireGateway(ctx);
    const device = stepDevice(ctx);
    ctx.progress({ text: `Reading the ${device.type} through the DCC (4.1.1)` });
    const record = await ctx.dcc('4.1.1', { deviceId: device.eui64! }, 'read');
    const data = record.mmc?.data;
    const takenAt = record.mmc?.timestamp ?? record.completedAt ?? new Date().toISOString();
    if (record.state === 'completed' && data?.kind === 'gas-register' && device.type === 'GSME') {
      // A GSME's first read (GCS13a) is a volume: recorded in m³ as the meter shows it, never converted to energy here.
      // Only a GSME's: an ESME's reading must be energy (verification compares it in Wh).
      return withFirmware(ctx, device, {
        result: 'done',
        summary: `${data.valueM3.toFixed(3)} m³ (4.1.1)`,
        eui64: device.eui64!,
        requestIds: [record.requestId],
        reading: { value: data.valueM3, unit: 'm3', source: 'dcc', takenAt, reference: `RequestID ${record.requestId}` },
      });
    }
    if (record.state !== 'completed' || data?.kind !== 'import-register') return { ...requestOutcome(record, '', false), eui64: device.eui64! };
    return withFirmware(ctx, device, {
      result: 'done',
      summary: `${(data.valueWh / 1000).toFixed(3)} kWh (4.1.1)`,
      eui64: device.eui64!,
      requestIds: [record.requestId],
      reading: { value: data.valueWh / 1000, unit: 'kWh', valueWh: data.valueWh, source: 'dcc', takenAt, reference: `RequestID ${record.requestId}` },
    });
  },
};

/**
 * The meter's firmware version (11.2: ECS52 / GCS38) joins its first read in the install record. It is for the
 * record, not a condition of the install: a version that cannot be read is said in the summary and fails nothing.
 */
async function withFirmware(ctx: StepContext, device: ReturnType<typeof stepDevice>, read: StepOutcome): Promise<StepOutcome> {
  ctx.progress({ text: `Reading the ${device.type}'s firmware version through the DCC (11.2)` });
  const record = await ctx.dcc('11.2', { deviceId: device.eui64! }, 'firmware');
  const data = record.mmc?.data;
  const requestIds = [...(read.requestIds ?? []), record.requestId];
  if (record.state === 'completed' && data?.kind === 'firmware-version')
    return { ...read, summary: `${read.summary}; firmware ${data.version} (11.2)`, requestIds, details: { ...read.details, firmware: data.version } };
  const why = (record.lastError ?? record.responseMeaning ?? record.state).slice(0, 200);
  return { ...read, summary: `${read.summary}; firmware version not read (11.2: ${why})`, requestIds };
}

/** Method A: the ESME adds the PPMID (8.7.1, CS03A1), through the critical request path. */
async function joinPpmid(ctx: StepContext, device: ReturnType<typeof stepDevice>): Promise<StepOutcome> {
  const esme = ctx.job.devices.find((d) => d.type === 'ESME' && d.eui64);
  if (!esme) return { result: 'failed', summary: 'Nothing to join to', reason: 'The job has no ESME with an EUI-64 for the PPMID to join' };
  const what = '8.7.1 Join Service (Critical), Method A';
  const send = () => ctx.dcc('8.7.1', { deviceId: esme.eui64!, otherDeviceId: device.eui64! }, 'join-ESME');
  const outcome = await critical(ctx, what, send, `Joined to the ESME (${what})`);
  if (outcome.result === 'done') await ctx.record('device.updated', { id: device.id, status: 'commissioned', statusReason: null });
  return outcome;
}

const joinService: StepExecutor = {
  async run(ctx) {
    requireGateway(ctx);
    const device = stepDevice(ctx);
    if (device.type === 'PPMID') return { ...(await joinPpmid(ctx, device)), eui64: device.eui64! };
    const targets = ctx.job.devices.filter((d) => (d.type === 'ESME' || d.type === 'GPF') && d.eui64);
    if (targets.length === 0) return { result: 'failed', summary: 'Nothing to join to', reason: 'The job has no ESME or GPF with an EUI-64' };
    const requestIds: string[] = [];
    for (const target of targets) {
      ctx.progress({ text: `Sending 8.7.2 to join the ${device.type} to the ${target.type}` });
      const record = await ctx.dcc('8.7.2', { deviceId: target.eui64!, otherDeviceId: device.eui64! }, `join-${target.type}`);
      requestIds.push(record.requestId);
      const data = record.mmc?.data;
      const outcome = requestOutcome(record, '', data?.kind === 'join' && data.success);
      if (outcome.result !== 'done') return { ...outcome, requestIds, ...(data?.kind === 'join' ? { failureCode: data.status } : {}) };
    }
    await ctx.record('device.updated', { id: device.id, status: 'commissioned', statusReason: null });
    const gpfNote = targets.some((t) => t.type === 'GPF') ? '' : ' (no GPF on the job: gas data will not reach the IHD until it is joined to the GPF)';
    return {
      result: 'done',
      summary: `Joined to ${targets.map((t) => t.type).join(' and ')} (8.7.2)${gpfNote}`.slice(0, 500),
      eui64: device.eui64!,
      requestIds,
    };
  },
};

const fittedHanDevices = (job: RevealedJob) =>
  job.devices.filter((d) => ['ESME', 'GSME', 'IHD', 'PPMID'].includes(d.type) && d.eui64 && d.status !== 'expected');

const deviceLogCheck: StepExecutor = {
  async run(ctx) {
    requireGateway(ctx);
    const { record, ids } = await readDeviceLog(ctx, 'check');
    if (!ids) return requestOutcome(record, '', false);
    const missing = fittedHanDevices(ctx.job).filter((d) => !ids.includes(d.eui64!));
    if (missing.length > 0)
      return {
        result: 'failed',
        summary: 'Devices missing from the hub log',
        reason: `Not on the Comms Hub device log: ${missing.map((d) => `${d.type} ${d.eui64}`).join(', ')}`,
        requestIds: [record.requestId],
      };
    return {
      result: 'done',
      summary: `${ids.length} entries on the Comms Hub device log; every fitted device is there`,
      requestIds: [record.requestId],
      details: { entries: ids.length },
    };
  },
};

const ihdPairingCheck: StepExecutor = {
  notApplicable: (job) => (!job.devices.some((d) => d.type === 'IHD') ? 'The job has no IHD' : undefined),
  async run(ctx) {
    const check = answersOf(ctx, 'ihd-pairing-check').at(-1)!;
    const gas = ctx.job.devices.some((d) => d.type === 'GSME');
    if (!check.showsElectricity) return { result: 'failed', summary: 'IHD shows no electricity data', reason: 'The IHD does not show electricity data' };
    if (gas && check.showsGas === false)
      return { result: 'failed', summary: 'IHD shows no gas data', reason: 'The IHD does not show gas data (check its join to the GPF)' };
    return { result: 'done', summary: `IHD shows electricity${gas && check.showsGas ? ' and gas' : ''} data` };
  },
};

const rfSurvey: StepExecutor = {
  async run(ctx) {
    const positions = answersOf(ctx, 'rf-survey-position');
    const list = positions.map((p) => `${p.position}${p.rssi !== undefined ? ` ${p.rssi} dBm` : ''}${p.lqi !== undefined ? ` LQI ${p.lqi}` : ''}`).join('; ');
    return {
      result: 'done',
      summary: `${positions.length} position${positions.length === 1 ? '' : 's'}: ${list}`.slice(0, 500),
      details: { positions: positions.length },
    };
  },
};

/** The display against the first read the DCC returned for the ESME. */
const verification: StepExecutor = {
  notApplicable: (_job, visit) =>
    !visit.steps.some((s) => s.kind === 'first-read' && s.deviceType === 'ESME' && s.status === 'done' && s.reading)
      ? 'No DCC reading of the ESME to compare with'
      : undefined,
  async run(ctx) {
    const typed = answersOf(ctx, 'display-reading').at(-1)!;
    if (typed.unit === 'm3') return { result: 'failed', summary: 'Wrong unit', reason: 'Enter the ESME display reading in kWh' };
    const read = ctx.visit.steps.find((s) => s.kind === 'first-read' && s.deviceType === 'ESME' && s.reading)!.reading!;
    const check = compareReadings(displayReading(String(typed.value), typed.unit, new Date()), {
      source: 'dcc',
      value: read.valueWh!,
      unit: 'Wh',
      valueWh: read.valueWh!,
      resolutionWh: 1,
      takenAt: read.takenAt,
      ...(read.reference ? { reference: read.reference } : {}),
    });
    await ctx.record('verification.recorded', check as unknown as Record<string, unknown>);
    return check.pass
      ? { result: 'done', summary: `display vs DCC: pass` }
      : { result: 'failed', summary: 'display vs DCC: FAIL', reason: check.reason.slice(0, 500) };
  },
};

export const LIVE_EXECUTORS: Partial<Record<VisitStepKind, StepExecutor>> = {
  arrival,
  'remove-meters': removeMeters,
  'fit-comms-hub': fitCommsHub,
  whitelist,
  'await-join': awaitJoin,
  commission,
  'first-read': firstRead,
  'join-service': joinService,
  'device-log-check': deviceLogCheck,
  'ihd-pairing-check': ihdPairingCheck,
  'rf-survey': rfSurvey,
  verification,
};
