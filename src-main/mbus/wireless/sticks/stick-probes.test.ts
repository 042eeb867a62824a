import { describe, expect, it } from 'vitest';
import { createMemoryLinkPair } from '../../../link/memory-link';
import { createProbeRunner } from '../../../discovery/probe';
import { silentLogger } from '../../../util/logger';
import { startAmberEmulator } from '../emulator/amber-emulator';
import { encodeAmber } from './amber';
import { encodeHci, HCI } from './imst';
import { amberGetProbe, imstPingProbe } from './stick-probes';

describe('wM-Bus stick probes for dongle discovery', () => {
  it('recognise the Amber GET confirmation (8465 by its length) and reject a bad checksum', () => {
    const reply = Buffer.from(encodeAmber(0x8a, new Uint8Array(0x7a)));
    expect(amberGetProbe.recognise(reply)).toMatch(/AMB8465/);
    expect(amberGetProbe.recognise(reply.subarray(0, 10))).toBeUndefined();
    reply[reply.length - 1] ^= 1;
    expect(amberGetProbe.recognise(reply)).toBeUndefined();
  });

  it('recognise the iM871A PING response', () => {
    expect(imstPingProbe.recognise(Buffer.from(encodeHci(HCI.DEVMGMT, HCI.PING_RSP)))).toMatch(/iM871A/);
    expect(imstPingProbe.recognise(Buffer.from(encodeHci(HCI.DEVMGMT, HCI.PING_REQ)))).toBeUndefined();
  });

  it('identify the emulated Amber stick over TCP through the discovery probe runner', async () => {
    const emulator = await startAmberEmulator({ intervalMs: 5 });
    try {
      const runner = createProbeRunner([imstPingProbe, amberGetProbe], silentLogger);
      const outcome = await runner.probe({
        id: 'x',
        source: 'network',
        path: `tcp://127.0.0.1:${emulator.port}`,
        inUse: false,
        classification: { kind: 'wmbus-stick', certainty: 'possible', label: 'stick', candidates: [] },
      } as never);
      expect(outcome.identified).toMatch(/AMB8465/);
      expect(outcome.tried).toEqual(['iM871A PING', 'Amber GET']);
    } finally {
      await emulator.stop();
    }
  });

  it('a silent port answers neither probe', async () => {
    const [a, b] = createMemoryLinkPair();
    await a.open();
    await b.open();
    const runner = createProbeRunner(
      [
        { ...amberGetProbe, timeoutMs: 20 },
        { ...imstPingProbe, timeoutMs: 20 },
      ],
      silentLogger,
      () => a,
    );
    const outcome = await runner.probe({ id: 'y', source: 'network', path: 'tcp://127.0.0.1:1', inUse: false } as never);
    expect(outcome.identified).toBeUndefined();
    expect(outcome.tried).toEqual(['Amber GET', 'iM871A PING']);
  });
});
