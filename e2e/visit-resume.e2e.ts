import { expect, test } from '@playwright/test';
import { esmeImportWh, createPremisesModel } from '../src-main/premises/premises-model';
import { testUserCredentials } from '../src-main/dcc/credentials';
import type { InstallView } from '../src-shared/ipc/channels/install';
import type { PremisesStatus } from '../src-main/premises/status-server';
import { makeDataDir } from './host-fixture';
import { freePort, IpcClient, spawnNode, type NodeProcess } from './resume-support';

/**
 * The visit survives a crash at every step: the web host (the app's host process), pointed at a `hantool sim`
 * running in its own process, is killed with SIGKILL in the middle of each side-effecting step in turn
 * (HAN_TEST_PAUSE stops it at a chosen point; see src-main/flows/test-pause.ts), started again, and must show
 * that step interrupted with everything entered so far; its retry finishes the step. After every step the
 * simulator's and the coordinator's own counts (the sim's status endpoint) must equal what one visit sends:
 * no 8.11, join, bind or other side effect ever happens twice.
 */

test.describe.configure({ timeout: 600_000 });

interface Announcement {
  readonly ports: Record<string, number>;
  readonly devices: readonly { type: string; eui64: string; installCode: string; label: string }[];
  readonly premises: { mpan: string };
  readonly dcc: { baseUrl: string; caCertPem: string; userId: string; dccId: string; smkiUrl: string; smkiDeviceCaPem: string };
  readonly status: string;
}

type Step = NonNullable<InstallView['visit']>['steps'][number];
type Point = 'started' | 'sent' | 'result' | 'transformed';

class Rig {
  app: { proc: NodeProcess; ipc: IpcClient } | undefined;
  sim!: NodeProcess;
  announced!: Announcement;
  listenerPort = 0;
  jobId = '';
  /** Every pause point the test will use; each host gets those not used yet, so one start serves a retry and the next kill. */
  plan: readonly string[] = [];
  readonly used = new Set<string>();
  #appPauses: readonly string[] = [];
  readonly data = makeDataDir();

  async startSim(): Promise<void> {
    this.listenerPort = await freePort();
    this.sim = spawnNode('src-main/cli/main.ts', ['sim', '--dcc-response-url', `http://127.0.0.1:${this.listenerPort}/`], {});
    this.announced = JSON.parse(await this.sim.firstLine(30_000)) as Announcement;
  }

  /** Starts the web host on the rig's data folder, with the pause points not used yet. */
  async startApp(): Promise<IpcClient> {
    const pauses = this.plan.filter((p) => !this.used.has(p));
    this.#appPauses = pauses;
    const proc = spawnNode('src-main/host/serve.ts', [], {
      HAN_DATA_DIR: this.data.dir,
      HAN_PREMISES: 'off',
      HAN_ENGINEER: 'Resume Test',
      ...(pauses.length ? { HAN_TEST_PAUSE: pauses.join(',') } : {}),
    });
    const url = (await proc.firstLine(60_000)).trim();
    const ipc = await IpcClient.connect(url);
    this.app = { proc, ipc };
    return ipc;
  }

  get ipc(): IpcClient {
    return this.app!.ipc;
  }

  async stopApp(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.app?.ipc.close();
    await this.app?.proc.kill(signal);
    this.app = undefined;
  }

  async status(): Promise<PremisesStatus> {
    return (await (await fetch(this.announced.status)).json()) as PremisesStatus;
  }

  view(): Promise<InstallView> {
    return this.ipc.call<InstallView>('install:view', { jobId: this.jobId });
  }

  step(view: InstallView, key: string): Step {
    const step = view.visit!.steps.find((s) => s.key === key);
    if (!step) throw new Error(`no step ${key}`);
    return step;
  }

  /**
   * Runs `key` in a host that stops at `point` of it, kills that host with SIGKILL there, starts a new one and
   * checks the step is shown interrupted, where the visit resumes, with every answer kept; then retries it.
   */
  async killDuring(key: string, point: Point): Promise<InstallView> {
    await this.interrupt(key, point);
    return this.ipc.call<InstallView>('install:run', { jobId: this.jobId, key });
  }

  /** Kills the host at each point of `key` in turn (each retry stops at the next point), then retries it to its end. */
  async killThrough(key: string, points: readonly Point[]): Promise<InstallView> {
    for (const point of points) await this.interrupt(key, point);
    return this.ipc.call<InstallView>('install:run', { jobId: this.jobId, key });
  }

  /** `killDuring` without the retry: the step is left interrupted in a fresh host. */
  async interrupt(key: string, point: Point): Promise<void> {
    const pause = `${point}@${key}`;
    const before = await this.view();
    if (!this.#appPauses.includes(pause)) {
      await this.stopApp();
      await this.startApp();
    }
    void this.ipc.call('install:run', { jobId: this.jobId, key }).catch(() => undefined);
    await this.app!.proc.waitForStderr(`HAN_TEST_PAUSED ${pause}`, 120_000);
    await this.stopApp('SIGKILL');
    this.used.add(pause);

    await this.startApp();
    const resumed = await this.view();
    const step = this.step(resumed, key);
    expect(step.status, `${key} after a kill at "${point}"`).toBe('interrupted');
    expect(step.reason).toMatch(/The app stopped during this step/);
    expect(resumed.visit!.currentKey).toBe(key);
    // The same data: every step's answers and every other step's state are as they were before the kill.
    const shape = (v: InstallView, skip: string) => v.visit!.steps.map((s) => ({ key: s.key, answers: s.answers, status: s.key === skip ? '-' : s.status }));
    expect(shape(resumed, key)).toEqual(shape(before, key));
  }

  async close(): Promise<void> {
    await this.stopApp();
    await this.sim?.kill('SIGTERM');
    this.data.remove();
  }
}

/** The ZAZ1 test User, as an engineer pastes it into "Connect to a DCC Boxed or test lab". */
function dccConnection(rig: Rig) {
  const user = testUserCredentials();
  return {
    baseUrl: rig.announced.dcc.baseUrl,
    userId: rig.announced.dcc.userId,
    dccId: rig.announced.dcc.dccId,
    caPem: rig.announced.dcc.caCertPem,
    // GBCS responses are checked with the devices' certificates, fetched from the sim's SMKI service.
    smkiUrl: rig.announced.dcc.smkiUrl,
    // …and accepted only when the sim's SMKI Device CA issued them (as an engineer pastes it from the sim's line).
    smkiDeviceCaPem: rig.announced.dcc.smkiDeviceCaPem,
    userCertificatePem: user.certificate.toString(),
    userPrivateKeyPem: user.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    listenerPort: rig.listenerPort,
  };
}

function device(rig: Rig, type: string) {
  return rig.announced.devices.find((d) => d.type === type)!;
}

const address = { line1: '1 Meadow Lane', town: 'Reading', postcode: 'RG1 1AA' };

/** The sim, the app configured to its DCC simulator, and a job with the sim's devices of these types; their job ids. */
async function setUp(rig: Rig, types: readonly string[]): Promise<string[]> {
  await rig.startSim();
  await rig.startApp();
  await rig.ipc.call('dcc:configure', dccConnection(rig));
  const job = await rig.ipc.call<{ id: string }>('jobs:create', {
    premises: { address, mpan: rig.announced.premises.mpan },
    devices: types.map((type) => ({
      type,
      eui64: device(rig, type).eui64,
      ...(type === 'CHF' ? {} : { installCode: device(rig, type).installCode }),
    })),
  });
  rig.jobId = job.id;
  return (await rig.view()).devices.map((d) => d.id);
}

test('live Comms Hub visit: SIGKILL during each DCC step, restart, same step, same data, no request sent twice', async () => {
  const rig = new Rig();
  try {
    const [, esme, gsme, ihd, ppmid] = await setUp(rig, ['CHF', 'ESME', 'GSME', 'IHD', 'PPMID']);
    rig.plan = [
      'sent@arrival',
      'sent@fit-comms-hub',
      `sent@whitelist:${esme}`,
      `sent@await-join:${esme}`,
      // The critical 8.1.1 at each of its points: nothing sent yet; Transform answered and the signed pre-command
      // queued but not sent; the device's answer in, the step's result not yet written (and, for the GSME, both
      // legs on the wire, the device's answer not yet in).
      `started@commission:${esme}`,
      `transformed@commission:${esme}`,
      `result@commission:${esme}`,
      `sent@first-read:${esme}`,
      `sent@whitelist:${gsme}`,
      `sent@await-join:${gsme}`,
      `sent@commission:${gsme}`,
      `sent@first-read:${gsme}`,
      `result@whitelist:${ihd}`,
      `sent@await-join:${ihd}`,
      `sent@join-service:${ihd}`,
      `sent@whitelist:${ppmid}`,
      `sent@await-join:${ppmid}`,
      `started@join-service:${ppmid}`,
      `sent@join-service:${ppmid}`,
      'sent@device-log-check',
      'result@ihd-pairing-check',
      'started@verification',
    ];
    await rig.ipc.call('install:begin', { jobId: rig.jobId, route: 'live-comms-hub' });
    await rig.ipc.call('install:answer', { jobId: rig.jobId, key: 'arrival', answers: { form: 'pre-checks', jobDetailsConfirmed: true, mpanConfirmed: true } });

    // What one visit sends, counted as it goes; the simulator must have received exactly this after every step.
    // A critical request's two legs are counted apart: CV 4 to serviceT (Transform) and the signed pre-command to
    // serviceS. A kill must never put a second of either on the wire.
    const expected: Record<string, number> = {};
    const expectedLegs: Record<string, number> = {};
    const legs = async (): Promise<Record<string, number>> => {
      const counts: Record<string, number> = {};
      for (const r of (await rig.status()).dcc!.requests)
        if (r.variant === '8.1.1' || r.variant === '8.7.1') counts[`${r.variant} ${r.endpoint}`] = (counts[`${r.variant} ${r.endpoint}`] ?? 0) + 1;
      return counts;
    };
    const sent = async (variant: string, n = 1): Promise<void> => {
      expected[variant] = (expected[variant] ?? 0) + n;
      expect((await rig.status()).dcc!.counts).toEqual(expected);
      expect(await legs()).toEqual(expectedLegs);
    };
    // A meter's first read sends 4.1.1, then 11.2 for its firmware version (for the record), each once.
    const sentRead = async (): Promise<void> => {
      expected['4.1.1'] = (expected['4.1.1'] ?? 0) + 1;
      await sent('11.2');
    };
    const sentCritical = async (variant: '8.1.1' | '8.7.1'): Promise<void> => {
      for (const endpoint of ['serviceT', 'serviceS']) expectedLegs[`${variant} ${endpoint}`] = (expectedLegs[`${variant} ${endpoint}`] ?? 0) + 1;
      await sent(variant, 2);
    };
    const expectDone = (view: InstallView, key: string, attempt = 2): void => {
      const step = rig.step(view, key);
      expect(step.status, `${key}: ${step.summary ?? ''} ${step.reason ?? ''}`).toBe('done');
      expect(step.attempt).toBe(attempt);
    };

    expectDone(await rig.killDuring('arrival', 'sent'), 'arrival');
    await sent('12.1');
    await rig.ipc.call('install:skip', { jobId: rig.jobId, key: 'remove-meters', reason: 'new connection', reasonCode: 'no-existing-meter' });
    await rig.ipc.call('install:answer', {
      jobId: rig.jobId,
      key: 'fit-comms-hub',
      answers: {
        form: 'comms-hub',
        chfId: device(rig, 'CHF').eui64,
        connectionMethod: 'Hot-shoe',
        location: 'Deep indoors',
        premiseType: 'Terraced',
        aerialInstall: false,
        wanAvailable: true,
      },
    });
    expectDone(await rig.killDuring('fit-comms-hub', 'sent'), 'fit-comms-hub');
    await sent('8.14.1');
    // The 8.11 reached the DCC and the app died before its response: the retry waits for that one, never a second.
    expectDone(await rig.killDuring(`whitelist:${esme}`, 'sent'), `whitelist:${esme}`);
    await sent('8.11');
    expectDone(await rig.killDuring(`await-join:${esme}`, 'sent'), `await-join:${esme}`);
    await sent('8.9');
    // 8.1.1 is critical: killed before anything is sent, between its two legs (the retry sends the queued signed
    // pre-command, never a second Transform), and after the device's answer; one Transform and one signed
    // pre-command in all.
    const commissioned = await rig.killThrough(`commission:${esme}`, ['started', 'transformed', 'result']);
    expectDone(commissioned, `commission:${esme}`, 4);
    expect(rig.step(commissioned, `commission:${esme}`).summary).toMatch(/ECS70/);
    await sentCritical('8.1.1');
    const firstRead = await rig.killDuring(`first-read:${esme}`, 'sent');
    expectDone(firstRead, `first-read:${esme}`);
    expect(rig.step(firstRead, `first-read:${esme}`).reading?.source).toBe('dcc');
    expect(rig.step(firstRead, `first-read:${esme}`).summary).toMatch(/; firmware [0-9A-F]{8} \(11\.2\)$/);
    await sentRead();

    // The gas meter: 8.11, join, its critical 8.1.1 (GCS28) and its first read (GCS13a), a volume in m³.
    expectDone(await rig.killDuring(`whitelist:${gsme}`, 'sent'), `whitelist:${gsme}`);
    await sent('8.11');
    expectDone(await rig.killDuring(`await-join:${gsme}`, 'sent'), `await-join:${gsme}`);
    await sent('8.9');
    const gasCommissioned = await rig.killDuring(`commission:${gsme}`, 'sent');
    expectDone(gasCommissioned, `commission:${gsme}`);
    expect(rig.step(gasCommissioned, `commission:${gsme}`).summary).toMatch(/GCS28/);
    await sentCritical('8.1.1');
    const gasRead = await rig.killDuring(`first-read:${gsme}`, 'sent');
    expectDone(gasRead, `first-read:${gsme}`);
    const gasReading = rig.step(gasRead, `first-read:${gsme}`).reading;
    expect(gasReading).toMatchObject({ unit: 'm3', source: 'dcc' });
    expect(gasReading?.value).toBeGreaterThan(0);
    await sentRead();
    const gasReadId = (await rig.status()).dcc!.requests.filter((r) => r.variant === '4.1.1').at(-1)!.requestId;
    expect(gasReading?.reference).toBe(`RequestID ${gasReadId}`);

    // Killed after the result was reached but before it was written: the retry reuses the completed 8.11.
    expectDone(await rig.killDuring(`whitelist:${ihd}`, 'result'), `whitelist:${ihd}`);
    await sent('8.11');
    expectDone(await rig.killDuring(`await-join:${ihd}`, 'sent'), `await-join:${ihd}`);
    await sent('8.9');
    expectDone(await rig.killDuring(`join-service:${ihd}`, 'sent'), `join-service:${ihd}`);
    await sent('8.7.2');

    // The PPMID joins the ESME through the critical 8.7.1 (CS03A1).
    expectDone(await rig.killDuring(`whitelist:${ppmid}`, 'sent'), `whitelist:${ppmid}`);
    await sent('8.11');
    expectDone(await rig.killDuring(`await-join:${ppmid}`, 'sent'), `await-join:${ppmid}`);
    await sent('8.9');
    expectDone(await rig.killThrough(`join-service:${ppmid}`, ['started', 'sent']), `join-service:${ppmid}`, 3);
    await sentCritical('8.7.1');

    expectDone(await rig.killDuring('device-log-check', 'sent'), 'device-log-check');
    await sent('8.9');
    expect((await rig.status()).dcc!.deviceLog.map((e) => e.deviceId.replace(/-/g, ''))).toEqual(
      ['ESME', 'GSME', 'IHD', 'PPMID'].map((type) => device(rig, type).eui64),
    );

    await rig.ipc.call('install:answer', {
      jobId: rig.jobId,
      key: 'ihd-pairing-check',
      answers: { form: 'ihd-pairing-check', showsElectricity: true, showsGas: true },
    });
    expectDone(await rig.killDuring('ihd-pairing-check', 'result'), 'ihd-pairing-check');
    await rig.ipc.call('install:skip', { jobId: rig.jobId, key: 'rf-survey', reason: 'survey done on the previous visit', reasonCode: 'engineer-decision' });
    const kWh = Math.floor(esmeImportWh(createPremisesModel(1).esmeRegister, Date.now()) / 100) / 10;
    await rig.ipc.call('install:answer', { jobId: rig.jobId, key: 'verification', answers: { form: 'display-reading', value: kWh, unit: 'kWh' } });
    expectDone(await rig.killDuring('verification', 'started'), 'verification');
    const ended = await rig.ipc.call<InstallView>('install:complete', { jobId: rig.jobId });
    expect(ended.visit!.outcome?.outcome).toBe('completed');
    await sent('8.9', 0);
    // Every request of the visit is on the job's timeline once per state, with the RequestIDs the DCC received.
    const received = (await rig.status()).dcc!.requests.map((r) => r.requestId);
    const recorded = ended.visit!.steps.flatMap((s) => s.requestIds ?? []);
    expect(new Set(recorded)).toEqual(new Set(received));
  } finally {
    await rig.close();
  }
});

test('own-network visit on an external sim: SIGKILL during form, device log, join, interview, read, pair and DCC read; nothing twice', async () => {
  const rig = new Rig();
  try {
    const [esme, ihd] = await setUp(rig, ['ESME', 'IHD']);
    // The engineer chooses the sim's coordinator (a network adapter) once; the job remembers it for its retries.
    const dongle = { adapter: 'zstack', path: `tcp://127.0.0.1:${rig.announced.ports.zigbee}` };
    await rig.ipc.call('han:start', { jobId: rig.jobId, dongle });
    await rig.ipc.call('han:stop');
    const formed = (await rig.status()).zigbee as { mtRequests: Record<string, number> };
    rig.plan = [
      'result@form-network',
      'result@device-log',
      `sent@join:${esme}`,
      `started@join:${ihd}`,
      `started@interview:${esme}`,
      `result@interview:${ihd}`,
      `result@read:${esme}`,
      'result@pair-ihd',
      'sent@verification',
    ];
    await rig.ipc.call('install:begin', { jobId: rig.jobId, route: 'own-network' });

    const zigbee = async () => (await rig.status()).zigbee as { joined: Record<string, number>; permitJoin: number; mtRequests: Record<string, number> };
    const expectDone = (view: InstallView, key: string): void => {
      const step = rig.step(view, key);
      expect(step.status, `${key}: ${step.summary ?? ''} ${step.reason ?? ''}`).toBe('done');
    };

    expectDone(await rig.killDuring('form-network', 'result'), 'form-network');
    expectDone(await rig.killDuring('device-log', 'result'), 'device-log');
    expectDone(await rig.killDuring(`join:${esme}`, 'sent'), `join:${esme}`);
    expectDone(await rig.killDuring(`join:${ihd}`, 'started'), `join:${ihd}`);
    const joined = await zigbee();
    expect(joined.joined).toEqual({ [device(rig, 'ESME').eui64]: 1, [device(rig, 'IHD').eui64]: 1 });
    expect(joined.permitJoin).toBe(1);
    expectDone(await rig.killDuring(`interview:${esme}`, 'started'), `interview:${esme}`);
    expectDone(await rig.killDuring(`interview:${ihd}`, 'result'), `interview:${ihd}`);
    expectDone(await rig.killDuring(`read:${esme}`, 'result'), `read:${esme}`);
    const beforePair = await zigbee();
    expectDone(await rig.killDuring('pair-ihd', 'result'), 'pair-ihd');
    const afterPair = await zigbee();
    const kWh = Math.floor(esmeImportWh(createPremisesModel(1).esmeRegister, Date.now()) / 100) / 10;
    await rig.ipc.call('install:run', { jobId: rig.jobId, key: 'mbus-meters' });
    await rig.ipc.call('install:answer', { jobId: rig.jobId, key: 'verification', answers: { form: 'display-reading', value: kWh, unit: 'kWh' } });
    expectDone(await rig.killDuring('verification', 'sent'), 'verification');
    const ended = await rig.ipc.call<InstallView>('install:complete', { jobId: rig.jobId });
    expect(ended.visit!.outcome?.outcome).toBe('completed');

    const end = await zigbee();
    // Each device joined once, joining opened once, the network was never formed again after the engineer's start.
    expect(end.joined).toEqual({ [device(rig, 'ESME').eui64]: 1, [device(rig, 'IHD').eui64]: 1 });
    expect(end.permitJoin).toBe(1);
    const binds = (z: { mtRequests: Record<string, number> }) =>
      Object.entries(z.mtRequests)
        .filter(([k]) => /^ZDO\.33$/.test(k))
        .reduce((n, [, v]) => n + v, 0);
    expect(binds(afterPair)).toBeGreaterThan(binds(beforePair));
    expect(binds(end)).toBe(binds(afterPair));
    const commissioning = (z: { mtRequests: Record<string, number> }) => z.mtRequests['APP_CNF.5'] ?? 0;
    expect(commissioning(end)).toBe(commissioning(formed));
    expect((await rig.status()).dcc!.counts).toEqual({ '4.1.1': 1 });
  } finally {
    await rig.close();
  }
});
