import { afterEach, describe, expect, it } from 'vitest';
import { seDeviceSpecs } from './emulator/virtual-se-device';
import { startRig, type Rig } from './test-rig.test-support';

// Fault handling with herdsman against the Z-Stack emulator over TCP.

describe('HAN coordinator faults', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('reports the adapter lost when TCP drops mid-join, reconnects when it returns, and keeps the job and devices', async () => {
    rig = await startRig({ devices: (model) => seDeviceSpecs(model.devices).filter((d) => d.type === 'ESME' || d.type === 'IHD') });
    const r = rig;
    const esme = r.model.devices.find((d) => d.type === 'ESME')!;
    const ihd = r.model.devices.find((d) => d.type === 'IHD')!;
    await r.service.start();
    await r.service.addDevice(esme.label);
    await r.service.addDevice(ihd.label);
    const network = r.service.network;
    r.emulator.setPowered(ihd.eui64, false);
    await r.service.openJoinWindow(600);
    await r.waitFor(() => r.service.device(esme.eui64)?.state === 'ready', 10_000, 'ESME ready');

    // Drop the dongle's TCP connection the moment the IHD has joined, before its interview can finish.
    r.emulator.latencyMs = 20;
    let dropped: Promise<void> | undefined;
    r.service.on('event', (e) => {
      if (!dropped && e.type === 'device' && e.eui64 === ihd.eui64 && e.entry.state === 'joined') dropped = r.emulator.setOffline(true);
    });
    r.emulator.setPowered(ihd.eui64, true);
    await r.waitFor(() => dropped, 10_000, 'IHD joined');
    await dropped;
    r.emulator.latencyMs = 0;
    await r.waitFor(() => r.hanEvents.some((e) => e.type === 'adapter' && e.state === 'lost'), 15_000, 'adapter lost');
    expect(r.service.status().state).toBe('adapter-lost');
    expect(() => r.service.status()).not.toThrow();
    await expect(r.service.readMetering(esme.eui64)).rejects.toMatchObject({ code: 'ADAPTER_LOST' });

    await r.emulator.setOffline(false);
    await r.waitFor(() => r.hanEvents.some((e) => e.type === 'adapter' && e.state === 'reconnected'), 20_000, 'reconnected');
    expect(r.service.status()).toMatchObject({ state: 'running', panId: network.panId, channel: network.channel });
    expect(r.service.network).toEqual(network);
    expect(
      r.service
        .deviceLog()
        .map((e) => e.eui64)
        .sort(),
    ).toEqual([esme.eui64, ihd.eui64].sort());
    // The interrupted interview is finished on the new connection; the ESME is still there and readable.
    await r.waitFor(() => r.service.device(ihd.eui64)?.state === 'ready', 20_000, 'IHD ready after reconnect');
    expect(r.service.device(esme.eui64)!.state).toBe('ready');
    const reading = await r.service.readMetering(esme.eui64);
    expect(reading.unit).toBe('kWh');
    expect(r.service.status().joinWindow.open).toBe(true);
  });

  it('fails the interview of a device that never answers its node descriptor, with that reason', async () => {
    rig = await startRig({
      devices: (model) =>
        seDeviceSpecs(model.devices)
          .filter((d) => d.type === 'PPMID')
          .map((d) => ({ ...d, answersNodeDescriptor: false })),
      service: { interviewTimeoutMs: 2500 },
    });
    const r = rig;
    const ppmid = r.model.devices.find((d) => d.type === 'PPMID')!;
    await r.service.start();
    await r.service.addDevice(ppmid.label);
    await r.service.openJoinWindow(60);
    const failed = await r.waitFor(() => r.service.device(ppmid.eui64)?.timeline.find((e) => e.state === 'failed'), 15_000, 'interview failure');
    expect(failed.reason).toContain('no node descriptor');
    expect(r.service.device(ppmid.eui64)!.timeline.map((e) => e.state)).toEqual(['whitelisted', 'joined', 'interviewing', 'failed']);
  });

  it('shows read errors per attribute: a meter without Status and InstantaneousDemand still gives its reading', async () => {
    rig = await startRig({
      devices: (model) =>
        seDeviceSpecs(model.devices)
          .filter((d) => d.type === 'ESME')
          .map((d) => ({ ...d, missingMeteringAttributes: [0x0200, 0x0400] })),
    });
    const r = rig;
    const esme = r.model.devices.find((d) => d.type === 'ESME')!;
    await r.service.start();
    await r.service.addDevice(esme.label);
    await r.service.openJoinWindow(60);
    await r.waitFor(() => r.service.device(esme.eui64)?.state === 'ready', 10_000, 'ESME ready');
    const reading = await r.service.readMetering(esme.eui64);
    expect(reading.unit).toBe('kWh');
    expect(reading.attributes.currentSummDelivered).toMatchObject({ ok: true });
    expect(reading.attributes.status).toEqual({ ok: false, error: 'unsupported attribute' });
    expect(reading.attributes.instantaneousDemand).toEqual({ ok: false, error: 'unsupported attribute' });
  });
});
