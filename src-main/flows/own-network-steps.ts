import type { VisitStepKind } from '../../src-shared/model/visit-vocabulary';
import type { VisitReading } from '../../src-shared/model/visit-events';
import type { RevealedJob } from '../../src-shared/model/job';
import { meteringToWh } from '../dcc/han-reader';
import { compareReadings, dccRecordReading, displayReading, type MeterReading } from '../dcc/read-verification';
import { testPause } from './test-pause';
import { errorText, stepDevice, waitUntil, type StepContext, type StepExecutor, type StepOutcome } from './visit-services';

/**
 * The own-network route's side effects (bench, lab, training, non-hub premises), all through HanManager /
 * HanService and MbusService. Each step first looks at what the HAN already has, so a retry after a crash
 * resumes the same network and never joins or pairs a device twice.
 */

const HAN_TYPES = new Set(['ESME', 'GSME', 'IHD', 'PPMID']);
const hanDevices = (job: RevealedJob) => job.devices.filter((d) => HAN_TYPES.has(d.type));

function service(ctx: StepContext) {
  return ctx.services.han.service();
}

/** The job's coordinator, started (or resumed from han-state.json) for this job. */
async function ensureNetwork(ctx: StepContext) {
  await ctx.services.han.start(ctx.job.id);
  return service(ctx);
}

function deviceEui(ctx: StepContext): string {
  const device = stepDevice(ctx);
  if (!device.eui64) throw new Error(`${device.type} ${device.id} has no EUI-64 yet: scan or type its label at "Fill the device log"`);
  return device.eui64;
}

const formNetwork: StepExecutor = {
  async run(ctx) {
    const han = await ensureNetwork(ctx);
    const status = han.status();
    const how = han.lastStart ?? 'resumed';
    return {
      result: 'done',
      summary: `Network ${how} on channel ${status.channel}, PAN ID 0x${status.panId.toString(16).toUpperCase().padStart(4, '0')}`,
      details: { start: how, channel: status.channel, panId: status.panId, extendedPanId: status.extendedPanId, adapter: status.adapter },
    };
  },
};

const deviceLog: StepExecutor = {
  notApplicable: (job) => (hanDevices(job).length === 0 ? 'The job lists no ZigBee devices' : undefined),
  async run(ctx) {
    const han = await ensureNetwork(ctx);
    const missing = hanDevices(ctx.job).filter((d) => !d.eui64 || !d.installCode);
    if (missing.length > 0) {
      return {
        result: 'failed',
        summary: 'Labels still to scan',
        reason: `Scan or type the label of ${missing.map((d) => `${d.type} ${d.id}`).join(', ')} (EUI-64 and install code)`,
      };
    }
    let added = 0;
    for (const device of hanDevices(ctx.job)) {
      // HAN steps of this device now update its row on the job (joined, commissioned).
      ctx.services.han.linkJobDevice(device.eui64!, device.id);
      if (han.deviceLog().some((e) => e.eui64 === device.eui64)) continue;
      const result = await han.addDevice(`${device.eui64!}|${device.installCode!}`);
      if (!result.ok) return { result: 'failed', summary: `${device.type} ${device.id} refused`, reason: result.error.message.slice(0, 500) };
      added += 1;
    }
    const total = han.deviceLog().length;
    return { result: 'done', summary: `${total} device${total === 1 ? '' : 's'} on the device log (${added} added now)`, details: { entries: total, added } };
  },
};

const JOINED = new Set(['joined', 'interviewing', 'ready']);

const join: StepExecutor = {
  async run(ctx) {
    const han = await ensureNetwork(ctx);
    const eui64 = deviceEui(ctx);
    const already = han.device(eui64);
    if (already && JOINED.has(already.state)) {
      return {
        result: 'done',
        summary: 'Already on the network (not joined again)',
        eui64,
        ...(already.lqi !== undefined ? { linkQuality: { lqi: already.lqi } } : {}),
      };
    }
    const timing = ctx.services.timing ?? {};
    const windowS = timing.joinWindowS ?? 180;
    const { endsAtMs } = await han.openJoinWindow(windowS);
    await testPause('sent', ctx.step.key);
    ctx.progress({ text: `Joining open: power the device or press its join button`, endsAtMs });
    const state = await waitUntil(
      () => {
        const device = han.device(eui64);
        return device && (JOINED.has(device.state) || device.state === 'refused' || device.state === 'failed') ? device : undefined;
      },
      timing.joinWaitMs ?? windowS * 1000,
      ctx.signal,
      timing.pollMs,
    );
    if (!state)
      return { result: 'failed', summary: 'Did not join', reason: `No join within ${windowS} s: check the device has power and its label was scanned`, eui64 };
    if (!JOINED.has(state.state)) {
      const last = state.timeline.at(-1);
      return { result: 'failed', summary: `Join ${state.state}`, reason: last?.reason ?? state.state, eui64 };
    }
    return { result: 'done', summary: 'Joined with its install-code key', eui64, ...(state.lqi !== undefined ? { linkQuality: { lqi: state.lqi } } : {}) };
  },
};

const interview: StepExecutor = {
  async run(ctx) {
    const han = await ensureNetwork(ctx);
    const eui64 = deviceEui(ctx);
    ctx.progress({ text: 'Interviewing: reading what the device is' });
    const device = await waitUntil(
      () => {
        const d = han.device(eui64);
        return d && (d.state === 'ready' || d.state === 'failed') ? d : undefined;
      },
      ctx.services.timing?.interviewWaitMs ?? 120_000,
      ctx.signal,
      ctx.services.timing?.pollMs,
    );
    if (!device) return { result: 'failed', summary: 'Interview not finished', reason: 'The device did not finish its interview in time', eui64 };
    if (device.state === 'failed')
      return { result: 'failed', summary: 'Interview failed', reason: device.timeline.at(-1)?.reason ?? 'interview failed', eui64 };
    return { result: 'done', summary: `Recognised as ${device.type}`, eui64, details: { deviceType: device.type } };
  },
};

const read: StepExecutor = {
  async run(ctx) {
    const han = await ensureNetwork(ctx);
    const eui64 = deviceEui(ctx);
    ctx.progress({ text: 'Reading the Metering cluster' });
    const reading = await han.readMetering(eui64);
    const unit = reading.unit === 'kWh' || reading.unit === 'Wh' ? reading.unit : reading.unit === 'm³' || reading.unit === 'm3' ? 'm3' : undefined;
    const visitReading: VisitReading | undefined = unit
      ? {
          value: reading.value,
          unit,
          ...(unit === 'kWh' || unit === 'Wh' ? { valueWh: unit === 'kWh' ? meteringToWh(reading) : reading.value } : {}),
          source: 'han',
          takenAt: new Date(reading.atMs).toISOString(),
          reference: 'HAN Metering cluster CurrentSummationDelivered',
        }
      : undefined;
    return { result: 'done', summary: `${reading.text} ${reading.unit}`, eui64, ...(visitReading ? { reading: visitReading } : {}) };
  },
};

const pairIhd: StepExecutor = {
  notApplicable: (job) =>
    !job.devices.some((d) => d.type === 'IHD')
      ? 'The job has no IHD'
      : !job.devices.some((d) => d.type === 'ESME')
        ? 'The job has no ESME to pair with'
        : undefined,
  async run(ctx) {
    const han = await ensureNetwork(ctx);
    const ihd = ctx.job.devices.find((d) => d.type === 'IHD' && d.eui64)?.eui64;
    const esme = ctx.job.devices.find((d) => d.type === 'ESME' && d.eui64)?.eui64;
    if (!ihd || !esme) return { result: 'failed', summary: 'Not paired', reason: 'The IHD or the ESME has no EUI-64 on the job' };
    if (han.device(ihd)?.pairedWith === esme) return { result: 'done', summary: 'Already paired with the ESME (not paired again)', eui64: ihd };
    ctx.progress({ text: 'Binding the IHD to the ESME and waiting for its first report' });
    const result = await (ctx.services.pairIhd ?? ((m: string, i: string) => han.pairIhd(m, i)))(esme, ihd);
    if (result.bindingConfirmed && result.ihdConfirmed) {
      return { result: 'done', summary: 'IHD paired: it received a report from the ESME', eui64: ihd, details: { reportsReceived: result.ihdReportsReceived } };
    }
    return {
      result: 'failed',
      summary: 'IHD not confirmed',
      reason: result.error ?? (result.bindingConfirmed ? 'the IHD did not confirm a report from the ESME' : 'the binding was not confirmed'),
      eui64: ihd,
    };
  },
};

const mbusMeters: StepExecutor = {
  notApplicable: (job) => (!job.devices.some((d) => d.type === 'MBUS') ? 'The job lists no M-Bus meters' : undefined),
  async run(ctx) {
    const mbus = ctx.services.mbus?.();
    if (!mbus) return { result: 'failed', summary: 'No M-Bus connection', reason: 'Connect an M-Bus level converter or gateway first' };
    ctx.progress({ text: 'Scanning the wired M-Bus (primary addresses 0–250)' });
    const onAbort = (): void => void mbus.cancelScan();
    ctx.signal.addEventListener('abort', onAbort);
    try {
      const scan = await mbus.scanPrimary({ from: 0, to: 250 });
      if (scan.cancelled) return { result: 'failed', summary: 'Scan cancelled', reason: 'cancelled by the engineer' };
      const wanted = ctx.job.devices.filter((d) => d.type === 'MBUS').length;
      const found = scan.meters.length;
      return found >= wanted
        ? { result: 'done', summary: `${found} M-Bus meter${found === 1 ? '' : 's'} answered`, details: { found, collisions: scan.collisions.length } }
        : { result: 'failed', summary: `${found} of ${wanted} meters answered`, reason: `only ${found} of the job's ${wanted} M-Bus meters answered the scan` };
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  },
};

/** HAN vs the typed display and, where a DCC is connected (training premises), HAN vs DCC (4.1.1). */
const verification: StepExecutor = {
  notApplicable: (job) => (!job.devices.some((d) => d.type === 'ESME' && d.eui64) ? 'The job has no ESME to verify' : undefined),
  async run(ctx) {
    const han = await ensureNetwork(ctx);
    const esme = ctx.job.devices.find((d) => d.type === 'ESME' && d.eui64)!.eui64!;
    const typed = [...ctx.step.answers].reverse().find((a) => a.form === 'display-reading');
    if (!typed || typed.form !== 'display-reading' || typed.unit === 'm3')
      return { result: 'failed', summary: 'No display reading', reason: 'Enter the ESME display reading in kWh' };
    const metering = await han.readMetering(esme);
    const hanReading: MeterReading = {
      source: 'han',
      value: metering.value,
      unit: 'Wh',
      valueWh: meteringToWh(metering),
      resolutionWh: 1,
      takenAt: new Date(metering.atMs).toISOString(),
      reference: `HAN Metering cluster: ${metering.text} ${metering.unit}`,
    };
    const checks = [{ name: 'HAN vs display', record: compareReadings(displayReading(String(typed.value), typed.unit, new Date()), hanReading) }];
    const requestIds: string[] = [];
    const gateway = ctx.services.dcc?.gateway();
    if (gateway) {
      ctx.progress({ text: 'Reading the ESME through the DCC (4.1.1)' });
      const record = await ctx.dcc('4.1.1', { deviceId: esme }, 'dcc-read');
      requestIds.push(record.requestId);
      const dccReading = dccRecordReading(record);
      if (!dccReading) {
        return {
          result: 'failed',
          summary: 'DCC read failed',
          reason: `4.1.1 ${record.requestId} ended ${record.state}${record.responseCode ? ` (${record.responseCode})` : ''}`,
          requestIds,
        };
      }
      checks.push({ name: 'HAN vs DCC', record: compareReadings(hanReading, dccReading) });
    }
    for (const check of checks) await ctx.record('verification.recorded', check.record as unknown as Record<string, unknown>);
    const failed = checks.filter((c) => !c.record.pass).map((c) => c.record);
    const names = checks.map((c) => `${c.name}: ${c.record.pass ? 'pass' : 'FAIL'}`).join('; ');
    return failed.length === 0
      ? { result: 'done', summary: names, requestIds }
      : {
          result: 'failed',
          summary: names,
          reason: failed
            .map((c) => c.reason)
            .join('; ')
            .slice(0, 500),
          requestIds,
        };
  },
};

export const OWN_NETWORK_EXECUTORS: Partial<Record<VisitStepKind, StepExecutor>> = {
  'form-network': formNetwork,
  'device-log': deviceLog,
  join,
  interview,
  read,
  'pair-ihd': pairIhd,
  'mbus-meters': mbusMeters,
  verification,
};

export const hanErrorOutcome = (error: unknown): StepOutcome => ({ result: 'failed', summary: 'Step failed', reason: errorText(error).slice(0, 500) });
