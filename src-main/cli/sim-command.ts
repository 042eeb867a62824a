import { startTrainingPremises, type RunningPremises } from '../premises/training-premises';
import type { EmulatorFactory } from '../premises/emulator';
import { createLogger } from '../util/logger';
import { CliInputError, type CliCommand, type CliIo } from './cli-command';

/** The first stdout line of `hantool sim`: a stable interface scripts read. More keys may be added, never removed. */
export function simAnnouncement(premises: RunningPremises): Record<string, unknown> {
  const { model } = premises;
  return {
    ports: premises.ports,
    // The five SMETS2 devices, then the Comms Hub's GPF (its printed ID is the hub network's extended PAN ID).
    devices: [...model.devices, model.rf.gpf].map((d) => ({ type: d.type, eui64: d.eui64, installCode: d.installCode + d.installCodeCrc, label: d.label })),
    premises: { address: model.address, mpan: model.mpan, mprn: model.mprn },
    // The ZigBee networks an active scan finds around the premises (the Comms Hub's is the GPF ID printed on it).
    nearbyNetworks: model.rf.networks.map((n) => ({ name: n.name, channel: n.channel, panId: n.panId, extendedPanId: n.extendedPanId })),
  };
}

function parseSeed(args: readonly string[]): number {
  const index = args.indexOf('--seed');
  if (index === -1) return 1;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new CliInputError('--seed takes a whole number from 0 to 4294967295');
  return value;
}

/**
 * `hantool sim [--seed N]`: runs the training premises in the foreground. Prints one JSON line with the ports and
 * the devices' labels, logs to stderr, and runs until SIGTERM/SIGINT.
 */
export function createSimCommand(factories?: readonly EmulatorFactory[], waitForStop: () => StopWait = waitForSignal): CliCommand {
  return {
    name: 'sim',
    usage: 'sim [--seed N]                     run the training premises until SIGTERM; prints {"ports":…,"devices":…}',
    async run(args: readonly string[], io: CliIo) {
      const seed = parseSeed(args);
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
      io.json(simAnnouncement(premises));
      await stop.stopped;
      log.info('stopping training premises');
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
