import { startTrainingPremises, type RunningPremises } from '../premises/training-premises';
import type { EmulatorFactory } from '../premises/emulator';
import { createLogger } from '../util/logger';
import type { DccSimulator } from '../dcc/emulator/dcc-simulator';
import { startStatusServer } from '../premises/status-server';
import { CliInputError, type CliCommand, type CliIo } from './cli-command';
import { readFileSync } from 'node:fs';
import { readOrganisationCertificate } from '../dcc/emulator/organisation-certificates';

/** The first stdout line of `hantool sim`: a stable interface scripts read. More keys may be added, never removed. */
export function simAnnouncement(premises: RunningPremises, statusUrl?: string): Record<string, unknown> {
  const { model } = premises;
  const dcc = premises.emulators.get('dcc')?.details?.simulator as DccSimulator | undefined;
  return {
    ports: premises.ports,
    // The five SMETS2 devices, then the Comms Hub's GPF (its printed ID is the hub network's extended PAN ID).
    devices: [...model.devices, model.rf.gpf].map((d) => ({ type: d.type, eui64: d.eui64, installCode: d.installCode + d.installCodeCrc, label: d.label })),
    premises: { address: model.address, mpan: model.mpan, mprn: model.mprn },
    // The ZigBee networks an active scan finds around the premises (the Comms Hub's is the GPF ID printed on it).
    nearbyNetworks: model.rf.networks.map((n) => ({ name: n.name, channel: n.channel, panId: n.panId, extendedPanId: n.extendedPanId })),
    // What an app needs to configure the simulator as a DCC Boxed (DCC screen: base URL, CA, the ZAZ1 test User,
    // and the SMKI service it fetches device certificates from to check GBCS responses; same CA).
    ...(dcc
      ? {
          dcc: {
            baseUrl: dcc.baseUrl,
            caCertPem: dcc.tls.caCert,
            userId: dcc.userId,
            dccId: dcc.dccId,
            smkiUrl: dcc.smkiUrl,
            smkiDeviceCaPem: dcc.devicePki.caCertificate,
          },
        }
      : {}),
    // GET it for what each emulator received (src-main/premises/status-server.ts).
    ...(statusUrl ? { status: statusUrl } : {}),
  };
}

/** `--dcc-response-url URL`: the receive-response URL a DCC Boxed administrator would set for the User. */
function parseResponseUrl(args: readonly string[]): string | undefined {
  const index = args.indexOf('--dcc-response-url');
  if (index === -1) return undefined;
  const value = args[index + 1] ?? '';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliInputError("--dcc-response-url takes the app's receive-response URL, e.g. http://127.0.0.1:8443/");
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliInputError('--dcc-response-url must be an http or https URL');
  return url.href;
}

/**
 * `--organisation-certificate FILE` (repeatable): a User's SMKI Organisation Certificate for digital signing (PEM),
 * so the simulated DCC checks that User's pre-commands with it, as a DCC checks them against SMKI.
 */
function parseOrganisationCertificates(args: readonly string[]): string[] {
  const pems: string[] = [];
  args.forEach((arg, index) => {
    if (arg !== '--organisation-certificate') return;
    const file = args[index + 1];
    if (!file || file.startsWith('--'))
      throw new CliInputError("--organisation-certificate takes a PEM file: the User's SMKI Organisation Certificate for digital signing");
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch {
      throw new CliInputError(`--organisation-certificate: ${file} cannot be read`);
    }
    try {
      readOrganisationCertificate(pem);
    } catch (error) {
      throw new CliInputError(`--organisation-certificate: ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    pems.push(pem);
  });
  return pems;
}

function parseSeed(args: readonly string[]): number {
  const index = args.indexOf('--seed');
  if (index === -1) return 1;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new CliInputError('--seed takes a whole number from 0 to 4294967295');
  return value;
}

/**
 * `hantool sim [--seed N] [--dcc-response-url URL] [--organisation-certificate PEM]…`: runs the training premises in the foreground. Prints one JSON
 * line with the ports, the devices' labels, the DCC simulator's base URL and CA and the status endpoint; logs to
 * stderr, and runs until SIGTERM/SIGINT. Another process (an app, a test) can use its emulators: the Z-Stack
 * coordinator as a `tcp://` dongle, the DCC simulator as a configured DCC Boxed whose receive-response URL is
 * `--dcc-response-url`, checking critical requests' pre-commands against each `--organisation-certificate` (a
 * User's SMKI Organisation Certificate for digital signing; the ZAZ1 test organisations are known without one).
 */
export function createSimCommand(factories?: readonly EmulatorFactory[], waitForStop: () => StopWait = waitForSignal): CliCommand {
  return {
    name: 'sim',
    usage: 'sim [--seed N] [--dcc-response-url URL] [--organisation-certificate PEM]…  run the training premises until SIGTERM; prints {"ports":…,"devices":…}',
    async run(args: readonly string[], io: CliIo) {
      const seed = parseSeed(args);
      const responseUrl = parseResponseUrl(args);
      const organisationCertificates = parseOrganisationCertificates(args);
      const log = createLogger({ stderr: true, namespace: 'sim' });
      // Listen for SIGTERM before announcing: a script may send it the moment it reads the line.
      const stop = waitForStop();
      let premises: RunningPremises;
      try {
        premises = await startTrainingPremises({ seed, log, ...(factories ? { factories } : {}) });
      } catch (error) {
        stop.cancel();
        throw error;
      }
      const dcc = premises.emulators.get('dcc')?.details?.simulator as DccSimulator | undefined;
      if (responseUrl) dcc?.setReceiveResponseUrl(responseUrl);
      for (const pem of organisationCertificates) dcc?.registerOrganisationCertificate(pem);
      let status: Awaited<ReturnType<typeof startStatusServer>>;
      try {
        status = await startStatusServer(premises, log);
      } catch (error) {
        stop.cancel();
        await premises.stop();
        throw error;
      }
      io.json(simAnnouncement(premises, status.url));
      await stop.stopped;
      log.info('stopping training premises');
      await status.close();
      await premises.stop();
      return 0;
    },
  };
}

export interface StopWait {
  readonly stopped: Promise<void>;
  cancel(): void;
}

function waitForSignal(): StopWait {
  // Signal listeners do not keep Node's event loop alive; the timer does, even with no emulator listening.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let done = (): void => undefined;
  const stopped = new Promise<void>((resolve) => {
    done = () => {
      clearInterval(keepAlive);
      process.off('SIGTERM', done);
      process.off('SIGINT', done);
      resolve();
    };
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  return { stopped, cancel: () => done() };
}

export const simCommand = createSimCommand();
