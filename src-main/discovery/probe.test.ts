import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DongleInfo } from '../../src-shared/model/dongle';
import { silentLogger } from '../util/logger';
import { createProbeRunner } from './probe';
import { zstackPingProbe } from './probes';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function tcpDevice(answer: (request: Buffer) => Buffer | undefined): Promise<DongleInfo> {
  server = createServer((socket) =>
    socket.on('data', (data) => {
      const reply = answer(data);
      if (reply) socket.write(reply);
    }),
  );
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    id: `tcp:127.0.0.1:${port}`,
    source: 'tcp',
    path: `tcp://127.0.0.1:${port}`,
    inUse: false,
    classification: { kind: 'serial-device', certainty: 'possible', label: 'x', candidates: [] },
  };
}

describe('Z-Stack probe', () => {
  it('recognises a SYS_PING answer even after line noise', () => {
    // 00 FF: noise; FE 02 61 01 | 59 06 (capabilities 0x0659) | FCS 02^61^01^59^06 = 0x3D
    expect(zstackPingProbe.recognise(Buffer.from('00fffe02610159063d', 'hex'))).toMatch(/capabilities 0x0659/);
  });

  it('rejects an answer with a bad FCS', () => {
    expect(zstackPingProbe.recognise(Buffer.from('fe026101590600', 'hex'))).toBeUndefined();
  });

  it('identifies a coordinator over a real socket and reports nothing for a silent device', async () => {
    const runner = createProbeRunner([zstackPingProbe], silentLogger);
    const device = await tcpDevice((request) => (request.equals(Buffer.from('fe00210120', 'hex')) ? Buffer.from('fe026101590' + '63d', 'hex') : undefined));
    expect(await runner.probe(device)).toMatchObject({ identified: expect.stringContaining('Z-Stack'), tried: ['Z-Stack SYS_PING'] });
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const silent = await tcpDevice(() => undefined);
    expect((await runner.probe(silent)).identified).toBeUndefined();
  });
});
