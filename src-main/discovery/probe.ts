import type { ProbeOutcome } from '../../src-shared/ipc/channels/dongles';
import type { DongleInfo } from '../../src-shared/model/dongle';
import type { DeviceLink, LinkTarget } from '../link/device-link';
import { createLink } from '../link/create-link';
import type { Logger } from '../util/logger';

/** An active identification: send a harmless request in one protocol and recognise the answer. */
export interface DongleProbe {
  readonly name: string;
  readonly serial: { baudRate: number; parity?: 'none' | 'even'; dataBits?: 7 | 8 };
  /** Bytes to send. */
  readonly request: Uint8Array;
  /** Returns a description when `received` (all bytes so far) is this protocol's answer. */
  recognise(received: Buffer): string | undefined;
  readonly timeoutMs: number;
}

export interface ProbeRunner {
  probe(dongle: DongleInfo): Promise<ProbeOutcome>;
}

function targetFor(dongle: DongleInfo, probe: DongleProbe): LinkTarget {
  const tcp = /^tcp:\/\/(.+):(\d+)$/.exec(dongle.path);
  if (tcp) return { kind: 'tcp', host: tcp[1]!, port: Number(tcp[2]) };
  return { kind: 'serial', path: dongle.path, baudRate: probe.serial.baudRate, parity: probe.serial.parity ?? 'none', dataBits: probe.serial.dataBits ?? 8 };
}

async function runOne(link: DeviceLink, probe: DongleProbe): Promise<string | undefined> {
  let received = Buffer.alloc(0);
  return new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => finish(undefined), probe.timeoutMs);
    const stop = link.onData((chunk) => {
      received = Buffer.concat([received, chunk]);
      const answer = probe.recognise(received);
      if (answer) finish(answer);
    });
    function finish(answer: string | undefined): void {
      clearTimeout(timer);
      stop();
      resolve(answer);
    }
    link.write(probe.request).catch(() => finish(undefined));
  });
}

/**
 * Runs the probes one after another on a port the engineer chose. Each probe gets a freshly opened link, since
 * probes use different line settings and one protocol's garbage must not confuse the next.
 */
export function createProbeRunner(probes: readonly DongleProbe[], log: Logger, linkFactory: (target: LinkTarget) => DeviceLink = createLink): ProbeRunner {
  return {
    async probe(dongle) {
      const tried: string[] = [];
      for (const probe of probes) {
        tried.push(probe.name);
        const link = linkFactory(targetFor(dongle, probe));
        try {
          await link.open();
          const identified = await runOne(link, probe);
          if (identified) {
            log.info('probe identified dongle', { path: dongle.path, identified });
            return { id: dongle.id, identified, tried };
          }
        } catch (error) {
          log.warn('probe could not open dongle', { path: dongle.path, probe: probe.name, error });
        } finally {
          await link.close().catch(() => undefined);
        }
      }
      return { id: dongle.id, tried };
    },
  };
}
