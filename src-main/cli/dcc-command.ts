import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPremisesModel } from '../premises/premises-model';
import { TEST_DCC_ID, TEST_USER_ID, testDccSigners, testKeyProvider } from '../dcc/credentials';
import { FINAL_STATES, type DccRequestRecord } from '../dcc/dcc-gateway';
import { createDirectDuisGateway } from '../dcc/direct-gateway';
import { startDccSimulator, type DccSimulator } from '../dcc/emulator/dcc-simulator';
import { gbcsKeySource } from '../dcc/gbcs/key-source';
import { parseDeviceCaBundle } from '../dcc/device-certificate-check';
import { exampleParams } from '../dcc/request-examples';
import { startResponseListener } from '../dcc/response-listener';
import { isServiceRequestVariant, SERVICE_REQUEST_VARIANTS, serviceRequestParams, type ServiceRequestVariant } from '../dcc/service-requests';
import { createHttpsTransport } from '../dcc/transport';
import { CliInputError, type CliCommand, type CliIo } from './cli-command';

const USAGE = `dcc send <service-request> (--params '<json>' | --example) [--url <base URL> --ca <pem file> [--smki <SMKI URL>] [--smki-device-ca <pem file>]]`;
/** How long to wait for the device's response after the DCC's I99. */
const RESPONSE_TIMEOUT_MS = 120_000;

interface SendOptions {
  readonly variant: ServiceRequestVariant;
  readonly params: unknown;
  readonly url?: string;
  readonly ca?: string;
  /** SMKI interface for device certificates (with --url; DCC Boxed's http://<host>:8083/ when absent). */
  readonly smki?: string;
  /** SMKI Device CA certificates that device certificates must come from (with --url). */
  readonly smkiDeviceCa?: readonly X509Certificate[];
}

function readPemFile(option: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliInputError(`dcc send: cannot read the ${option} file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (!text.includes('BEGIN CERTIFICATE')) throw new CliInputError(`dcc send: ${file} holds no PEM certificate`);
  return text;
}

function parseArgs(args: readonly string[]): SendOptions {
  const [sub, variant, ...rest] = args;
  if (sub !== 'send') throw new CliInputError(`dcc: the only subcommand is "send"; usage: hantool ${USAGE}`);
  if (!variant || !isServiceRequestVariant(variant)) throw new CliInputError(`dcc send: give a service request (${SERVICE_REQUEST_VARIANTS.join(', ')})`);
  let params: unknown;
  let url: string | undefined;
  let caFile: string | undefined;
  let smki: string | undefined;
  let smkiCaFile: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = (): string => {
      const next = rest[++i];
      if (next === undefined || next.startsWith('--')) throw new CliInputError(`dcc send: ${arg} needs a value`);
      return next;
    };
    if (arg === '--example') params = 'example';
    else if (arg === '--url') url = value();
    else if (arg === '--ca') caFile = value();
    else if (arg === '--smki') smki = value();
    else if (arg === '--smki-device-ca') smkiCaFile = value();
    else if (arg === '--params') {
      const json = value();
      try {
        params = JSON.parse(json);
      } catch {
        throw new CliInputError('dcc send: --params needs a JSON object, got invalid JSON');
      }
    } else throw new CliInputError(`dcc send: unknown option "${arg}"; usage: hantool ${USAGE}`);
  }
  if (params === undefined) throw new CliInputError(`dcc send: give --params '<json>' or --example; usage: hantool ${USAGE}`);
  if (caFile && !url) throw new CliInputError('dcc send: --ca goes with --url (the training simulator brings its own CA)');
  if ((smki || smkiCaFile) && !url) throw new CliInputError('dcc send: --smki and --smki-device-ca go with --url (the training simulator brings its own)');
  if (smki && !/^https?:\/\/[^/]+/.test(smki)) throw new CliInputError('dcc send: --smki must be an http(s) URL, e.g. http://dcc-boxed:8083/');
  if (url && !/^https?:\/\/[^/]+/.test(url)) throw new CliInputError(`dcc send: --url must be an http(s) base URL, e.g. https://dcc-boxed:8079/api/v1`);
  if (params === 'example') params = exampleParams(variant, createPremisesModel(1));
  const parsed = serviceRequestParams[variant].safeParse(params);
  if (!parsed.success)
    throw new CliInputError(
      `dcc send: invalid parameters for ${variant}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ')}`,
    );
  const ca = caFile ? readPemFile('CA', caFile) : undefined;
  let smkiDeviceCa: readonly X509Certificate[] | undefined;
  if (smkiCaFile) {
    try {
      smkiDeviceCa = parseDeviceCaBundle(readPemFile('SMKI Device CA', smkiCaFile));
    } catch (error) {
      if (error instanceof CliInputError) throw error;
      throw new CliInputError(`dcc send: ${smkiCaFile}: ${(error as Error).message.replace('the SMKI Device CA field', 'the file')}`);
    }
  }
  return { variant, params, ...(url ? { url } : {}), ...(ca ? { ca } : {}), ...(smki ? { smki } : {}), ...(smkiDeviceCa ? { smkiDeviceCa } : {}) };
}

/** The one JSON object `hantool dcc send` prints (a stable interface: extend, never break). */
export function sendResult(record: DccRequestRecord): Record<string, unknown> {
  const gbcs = record.gbcs?.ok ? record.gbcs : undefined;
  const mmcWh = record.mmc?.data.kind === 'import-register' ? record.mmc.data.valueWh : undefined;
  const reading =
    gbcs?.trusted && gbcs.reading ? { value: gbcs.reading.value, unit: gbcs.reading.unit } : mmcWh !== undefined ? { value: mmcWh, unit: 'Wh' } : null;
  return {
    requestId: record.requestId,
    serviceReference: record.variant,
    responseCode: record.responseCode ?? null,
    gbcs: gbcs ? { useCase: gbcs.useCase ?? null, mac: gbcs.mac, signature: gbcs.signature, encrypted: gbcs.encrypted } : null,
    reading,
  };
}

/** True when the DCC passed on a response for the request (whatever the GBCS verdicts say of it). */
function responseArrived(record: DccRequestRecord): boolean {
  if (record.gbcs || record.mmc || record.wanMatrix) return true;
  return record.state === 'completed';
}

async function send(options: SendOptions, io: CliIo): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hantool-dcc-'));
  let simulator: DccSimulator | undefined;
  const closers: (() => Promise<void>)[] = [async () => rmSync(dataDir, { recursive: true, force: true })];
  try {
    if (!options.url) {
      simulator = await startDccSimulator({ model: createPremisesModel(1) });
      closers.unshift(() => simulator!.stop());
    }
    // The User's ZAZ1 keys, and the devices' certificates fetched from SMKI and checked against its Device CA, as
    // the app does: the simulator's own for a training call.
    const gbcsKeys = gbcsKeySource({
      certificatesDir: join(dataDir, 'device-certificates'),
      testCredentials: true,
      smki: simulator
        ? { baseUrl: simulator.smkiUrl, ca: simulator.tls.caCert }
        : { baseUrl: options.smki ?? `http://${new URL(options.url!).hostname}:8083/`, ...(options.ca ? { ca: options.ca } : {}) },
      smkiDeviceCa: simulator ? [new X509Certificate(simulator.devicePki.caCertificate)] : (options.smkiDeviceCa ?? []),
    });
    const listener = await startResponseListener({ signers: testDccSigners(), gbcsKeys });
    closers.unshift(() => listener.close());
    simulator?.setReceiveResponseUrl(listener.url);
    const baseUrl = options.url ?? simulator!.baseUrl;
    io.err(
      `dcc send: DCC Boxed TEST credentials (public ZAZ1 test PKI, User ${TEST_USER_ID}) to ${options.url ? baseUrl : `a training simulator at ${baseUrl}`}; ` +
        `device responses are received at ${listener.url}${options.url ? ' (set it as the receive-response URL of the DCC Boxed)' : ''}`,
    );
    const ca = options.ca ?? simulator?.tls.caCert;
    const gateway = createDirectDuisGateway({
      dataDir,
      transport: createHttpsTransport({ baseUrl, ...(ca ? { ca } : {}), timeoutMs: 30_000 }),
      keys: testKeyProvider,
      dccSigners: testDccSigners(),
      dccId: simulator?.dccId ?? TEST_DCC_ID,
      listener,
      gbcsKeys,
      responseTimeoutMs: RESPONSE_TIMEOUT_MS,
      retryIntervalMs: 0,
    });
    closers.unshift(() => gateway.close());
    const submitted = await gateway.submit(options.variant, options.params);
    const record = FINAL_STATES.has(submitted.state) || submitted.state === 'queued' ? submitted : await gateway.waitForFinal(submitted.requestId);
    io.json(sendResult(record));
    if (record.gbcs?.ok && !record.gbcs.trusted) {
      io.err(`dcc send: the device's answer arrived but is not trusted: ${record.lastError ?? record.gbcs.untrustedReason ?? 'unchecked'}`);
      if (options.url && !options.smkiDeviceCa) io.err('dcc send: give --smki-device-ca <pem file> so device certificates from SMKI can be checked');
    }
    if (responseArrived(record)) return 0;
    io.err(`dcc send: ${record.state === 'queued' ? 'the DCC is unreachable' : record.state}: ${record.lastError ?? record.responseMeaning ?? 'no response'}`);
    return 1;
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

/**
 * `hantool dcc send`: signs and sends one DUIS service request to a DCC Boxed–style endpoint (or a training
 * simulator started for the call), critical requests through serviceT and pre-command signing, waits for the
 * device response on its own receive-response listener and prints one JSON object. Exit 0 when a response
 * arrived (whatever its GBCS verdicts), 1 on timeout or refusal (reason on stderr), 2 on bad input.
 */
export const dccCommand: CliCommand = {
  name: 'dcc',
  usage: `${USAGE}   send one request, print {"requestId","serviceReference","responseCode","gbcs","reading"}`,
  async run(args, io) {
    return send(parseArgs(args), io);
  },
};
