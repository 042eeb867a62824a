import { userInfo } from 'node:os';
import { join } from 'node:path';
import packageJson from '../../package.json';
import type { AppInfo, ServiceProblem } from '../../src-shared/ipc/channels/app';
import { startDccService, type DccService } from '../dcc/dcc-service';
import { createHanRegisterReader } from '../dcc/han-reader';
import { DongleDiscovery, type DiscoverySources } from '../discovery/dongle-discovery';
import { createProbeRunner } from '../discovery/probe';
import { dongleProbes } from '../discovery/probes';
import { claimedPorts } from '../link/port-claims';
import { emulatedDongles } from '../premises/emulated-dongles';
import type { EmulatorFactory } from '../premises/emulator';
import { startTrainingPremises, type RunningPremises } from '../premises/training-premises';
import { FileSecretStore } from '../secrets/file-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import { resolveDataDir } from '../store/data-dir';
import { JobStore } from '../store/job-store';
import { createLogger, type Logger } from '../util/logger';
import { createDiagnostics } from '../zigbee/diagnostics/create-diagnostics';
import { applyPrivateUmask } from '../util/private-files';
import { sweepPlainBackups } from '../zigbee/backup-files';
import { HanManager } from '../zigbee/han-manager';
import { startOrReport, unavailableDccService } from './degraded-start';
import { createDispatch, type Dispatch, type Handlers } from './dispatch';
import { EventBus } from './event-bus';
import { createAppHandlers } from './handlers/app-handlers';
import { createDccHandlers } from './handlers/dcc-handlers';
import { createDiagnosticsHandlers } from './handlers/diagnostics-handlers';
import { createDongleHandlers } from './handlers/dongle-handlers';
import { createJobHandlers } from './handlers/job-handlers';
import { createHanHandlers } from './handlers/han-handlers';
import { createInstallHandlers } from './handlers/install-handlers';
import { VisitRunner } from '../flows/visit-runner';
import { createMbusHandlers } from './handlers/mbus-handlers';
import { createReportHandlers, type SaveDialog } from './handlers/report-handlers';
import { MbusService } from '../mbus/mbus-service';
import { VisitedMeterPoint } from '../premises/visited-meter-point';
import { defaultRadioMeters } from '../mbus/wireless/emulator/virtual-meters';
import { JobHanLink } from './job-han-link';
import { resumeHanNetwork, SessionFile } from './session-file';

export interface AppServicesOptions {
  /** Defaults to HAN_DATA_DIR or the OS convention. */
  readonly dataDir?: string;
  /** "auto": run the training premises when no real dongle is attached (the default). */
  readonly premises?: 'auto' | 'on' | 'off';
  readonly premisesSeed?: number;
  /** The Electron shell passes safeStorage's store; plain Node uses the file-backed one. */
  readonly secrets?: SecretStore;
  /** Who holds the data directory, for "in use" messages. */
  readonly owner: string;
  readonly engineer?: string;
  readonly logToStderr?: boolean;
  /** For tests. */
  readonly discoverySources?: DiscoverySources;
  readonly emulators?: readonly EmulatorFactory[];
  readonly pollIntervalMs?: number;
  /** The Electron shell's save dialog for "save a copy" of a report (the web host has none: the browser downloads). */
  readonly saveDialog?: SaveDialog;
}

/** Main's services, the same for the Electron shell, the web host and tests. */
export interface AppServices {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly log: Logger;
  readonly dataDir: string;
  readonly premises: RunningPremises | undefined;
  /** The install visit's runner (the CLI's `install run` drives it directly). */
  readonly visits: VisitRunner;
  /** The job store (the CLI's `install run` reads the job it runs). */
  readonly store: JobStore;
  close(): Promise<void>;
}

/**
 * The composition root: data directory, logger, job store, discovery, training premises and every handler.
 * Each service is built here by hand, so what depends on what is visible in one place.
 */
export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  applyPrivateUmask();
  const dataDir = options.dataDir ?? resolveDataDir();
  const logDir = join(dataDir, 'logs');
  const log = createLogger({ dir: logDir, stderr: options.logToStderr ?? false });
  const events = new EventBus();
  // One secret store for every service: the OS keystore in the app, the file key in plain Node.
  const secrets = options.secrets ?? (await FileSecretStore.open(dataDir));
  // The engineer is one person: the name they gave (remembered) comes first, then HAN_ENGINEER, then the OS user.
  const session = new SessionFile(dataDir);
  // An empty HAN_ENGINEER (`HAN_ENGINEER=` in a profile) presets nobody: the OS user is used and the banner asks.
  const presetEngineer = (options.engineer ?? process.env.HAN_ENGINEER)?.trim() || undefined;
  const remembered = session.get().engineer;
  const engineerSource = remembered ? 'remembered' : presetEngineer ? 'environment' : 'system';
  const store = await JobStore.open(dataDir, {
    engineer: remembered ?? presetEngineer ?? userInfo().username,
    owner: options.owner,
    secrets,
  });
  // A crash while a HAN network ran can leave herdsman's plain backup (the network key): seal it now.
  await sweepPlainBackups(dataDir, secrets, log.child('han'));
  for (const damaged of store.damagedJobs) log.error('job file damaged at its first event', { ...damaged });
  // Whatever has started is stopped again, newest first, if a later service fails to start.
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close().catch((error: unknown) => log.error('shutdown step failed', { error }));
  };

  // A degraded start: each service that cannot start is reported on its screen and the rest starts.
  const problems: ServiceProblem[] = [];
  let premises: RunningPremises | undefined;
  const discovery = new DongleDiscovery({
    log: log.child('discovery'),
    ...(options.discoverySources ? { sources: options.discoverySources } : {}),
    emulated: () => (premises ? emulatedDongles(premises) : []),
    inUse: claimedPorts,
  });
  await discovery.list();
  const wantPremises = options.premises === 'on' || ((options.premises ?? 'auto') === 'auto' && !discovery.hasRealDongle());
  if (wantPremises) {
    premises = await startOrReport('premises', problems, log, () =>
      startTrainingPremises({
        log,
        ...(options.premisesSeed !== undefined ? { seed: options.premisesSeed } : {}),
        ...(options.emulators ? { factories: options.emulators } : {}),
      }),
    );
    const running = premises;
    if (running) {
      closers.push(() => running.stop());
      log.info('training premises running', { ports: running.ports });
    }
  }

  const dccStarted = await startOrReport('dcc', problems, log, () =>
    startDccService({
      dataDir,
      premises,
      secrets,
      log: log.child('dcc'),
      // The running HAN network's Metering read; on the training premises without one, the virtual ESME's register.
      hanReader: createHanRegisterReader(() => {
        try {
          return han.service();
        } catch {
          return undefined;
        }
      }, premises?.model),
      onRequest: (view) => events.emit('dcc:request', view),
      onNotice: (level, message) => events.emit('app:notice', { level, message }),
    }),
  );
  const dcc: DccService = dccStarted ?? unavailableDccService(problems.find((p) => p.service === 'dcc')?.message ?? 'unknown reason');
  closers.push(() => dcc.close());

  // M-Bus: the training premises' wired bus and Amber stick emulators; otherwise the engineer connects a
  // gateway, level converter or stick from the M-Bus screen.
  const mbusPort = premises?.ports.mbus;
  const wmbusPort = premises?.ports.wmbus;
  const mbus = await startOrReport('mbus', problems, log, () =>
    MbusService.start({
      log: log.child('mbus'),
      dataDir,
      secrets,
      // Loopback emulators answer in well under a millisecond: short timeouts keep a full scan short.
      ...(mbusPort !== undefined
        ? {
            wired: {
              target: { kind: 'tcp', host: '127.0.0.1', port: mbusPort },
              training: true,
              master: { timeoutMs: 60, interFrameDelayMs: 0, settleMs: 10, retries: 1 },
            },
          }
        : {}),
      ...(wmbusPort !== undefined ? { wireless: { target: { kind: 'tcp', host: '127.0.0.1', port: wmbusPort }, training: true } } : {}),
      onProgress: (progress) => events.emit('mbus:scanProgress', progress),
      onHeard: (meter) => events.emit('mbus:heard', meter),
      onHeardDropped: (dropped) => events.emit('mbus:heardDropped', dropped),
      // A smaller walk-by list for a demonstration or a test of what the engineer sees when meters are dropped.
      ...(Number(process.env.HAN_WALK_BY_CAPACITY) >= 1 ? { walkByCapacity: Math.floor(Number(process.env.HAN_WALK_BY_CAPACITY)) } : {}),
    }),
  );
  if (mbus) closers.push(() => mbus.close());

  // HAN: one job's ZigBee coordinator at a time, on a dongle or the training premises' emulated Z-Stack.
  const han: HanManager = new HanManager({
    dataDir,
    log: log.child('han'),
    premises: () => premises,
    onEvent: (event) => events.emit('han:event', event),
    // Network and device steps go into the job's timeline (the store validates them as han.* events).
    record: (jobId, kind, payload): Promise<void> => link.record(jobId, kind, payload),
    // The job's devices with install codes go onto the device log when its network starts.
    jobDevices: async (jobId) => (await store.getRevealedJob(jobId)).devices,
    // Install codes, link keys, the network key and herdsman's backup are sealed at rest like the job's secrets.
    secrets,
  });

  const link: JobHanLink = new JobHanLink({ store, han: () => han, events, log: log.child('job-han') });
  const meterPoint = new VisitedMeterPoint(premises?.model, session.get().trainerMpan);
  // Diagnostics: energy and beacon scans (survey role, never joining), positions in the job, our network's links.
  const diagnostics = createDiagnostics({
    han,
    store,
    premises: () => premises,
    log: log.child('diagnostics'),
    onJobChanged: (jobId) => events.emit('jobs:changed', { id: jobId }),
    onChange: () => events.emit('diag:changed', {}),
  });
  // Link quality counts from the moment the job's coordinator starts (or reconnects), not from the first look.
  events.subscribe((channel) => channel === 'han:event' && diagnostics.followCoordinator());

  const info = (): AppInfo => ({
    productName: 'HAN Commissioner',
    version: packageJson.version,
    dataDir,
    secrets: store.describeSecrets(),
    trainingPremises: premises !== undefined,
    damagedJobs: store.damagedJobs,
    serviceProblems: problems,
  });

  // The install visit: its steps act through the services above and live in the job's timeline.
  const visits = new VisitRunner(
    { store, han, dcc, mbus: () => mbus, premises: () => premises, log: log.child('visit'), pairIhd: (meter, ihd) => link.pair(meter, ihd) },
    (view) => {
      events.emit('install:changed', view);
      events.emit('jobs:changed', { id: view.jobId });
    },
  );

  const handlers: Handlers = {
    ...createAppHandlers({ info, logDir, premises: () => premises, meterPoint: () => meterPoint.view() }),
    ...createDongleHandlers(discovery, createProbeRunner(dongleProbes, log.child('probe'))),
    ...createJobHandlers(store, events, {
      session,
      link,
      meterPoint,
      engineerSource,
      trainingRadioMeters: () =>
        premises?.ports.wmbus !== undefined
          ? defaultRadioMeters().map(({ address, security, key }) => ({
              manufacturer: address.manufacturer,
              id: address.id,
              version: address.version,
              security,
              ...(key ? { key } : {}),
            }))
          : [],
    }),
    ...createDccHandlers(dcc, store, events, () => meterPoint.mpan()),
    ...createHanHandlers(han, { link, session }),
    ...createMbusHandlers(() => mbus),
    ...createDiagnosticsHandlers(diagnostics),
    ...createInstallHandlers(visits),
    ...createReportHandlers(store, secrets, dataDir, options.saveDialog),
  };
  const dispatch = createDispatch(handlers, log.child('ipc'));
  closers.push(() => han.close());
  discovery.onChange((change) => events.emit('dongles:changed', change));
  discovery.startPolling(options.pollIntervalMs ?? 2000);
  closers.push(() => discovery.stopPolling());
  resumeHanNetwork(session, han, log);

  return {
    dispatch,
    events,
    log,
    dataDir,
    premises,
    visits,
    store,
    close: closeAll,
  };
}
