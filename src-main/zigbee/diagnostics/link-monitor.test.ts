import { EventEmitter } from 'node:events';
import type { Controller } from 'zigbee-herdsman';
import { describe, expect, it } from 'vitest';
import type { HanDevice } from '../../../src-shared/model/han';
import { LinkMonitor } from './link-monitor';

const EUI = '00124B0001020304';
const device: HanDevice = { eui64: EUI, state: 'ready', type: 'IHD', nwkAddress: 0x1234, timeline: [] };

/** herdsman's Controller as far as the monitor listens to it: its events. */
function fakeController(): EventEmitter & Controller {
  return new EventEmitter() as EventEmitter & Controller;
}

describe('link monitor', () => {
  it('follows message LQI into a history and calls a clear fall "worsening"', () => {
    let now = 0;
    const monitor = new LinkMonitor({ now: () => now });
    const controller = fakeController();
    monitor.follow(controller);
    for (const lqi of [210, 205, 200, 150, 120, 90, 70, 60, 50]) {
      now += 1000;
      controller.emit('message', { device: { ieeeAddr: `0x${EUI.toLowerCase()}` }, linkquality: lqi });
    }
    const [link] = monitor.links([device]);
    expect(link).toMatchObject({ eui64: EUI, lqi: 50, messages: 9, rssi: null, retries: null, presence: 'present', trend: 'falling' });
    expect(link!.history.map((s) => s.lqi)).toEqual([210, 205, 200, 150, 120, 90, 70, 60, 50]);
  });

  it('reports a leave, an unanswered probe, and the device coming back', () => {
    const monitor = new LinkMonitor({ now: () => 0 });
    const controller = fakeController();
    monitor.follow(controller);
    const ieeeAddr = `0x${EUI.toLowerCase()}`;
    controller.emit('deviceLeave', { ieeeAddr });
    expect(monitor.links([device])[0]).toMatchObject({ presence: 'left', leaves: 1, rejoins: 0 });
    controller.emit('deviceAnnounce', { device: { ieeeAddr } });
    expect(monitor.links([device])[0]).toMatchObject({ presence: 'present', rejoins: 1 });
    monitor.noteProbe(EUI, false);
    expect(monitor.links([device])[0]).toMatchObject({ presence: 'unreachable' });
    controller.emit('deviceAnnounce', { device: { ieeeAddr } });
    expect(monitor.links([device])[0]).toMatchObject({ presence: 'present', rejoins: 2 });
  });

  it('stops counting a controller it no longer follows (after a reconnect)', () => {
    const monitor = new LinkMonitor();
    const old = fakeController();
    monitor.follow(old);
    monitor.follow(fakeController());
    old.emit('message', { device: { ieeeAddr: `0x${EUI.toLowerCase()}` }, linkquality: 100 });
    expect(monitor.links([device])[0]).toMatchObject({ messages: 0, lqi: null, trend: 'unknown' });
  });
});
