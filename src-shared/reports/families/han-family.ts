import { hanDevicePayload, hanNetworkPayload, type DeviceType, DEVICE_TYPES } from '../../model/job';
import { deviceByEui64, stage, type EventFamily } from '../report-draft';

/** han.*: the network our coordinator ran and each device's whitelist → join → interview on it. */

function asDeviceType(value: string | undefined): DeviceType {
  return (DEVICE_TYPES as readonly string[]).includes(value ?? '') ? (value as DeviceType) : 'OTHER';
}

export const hanFamily: EventFamily = {
  'han.network': (draft, payload, { event }) => {
    const network = hanNetworkPayload.parse(payload);
    draft.hanNetworks.push({
      seq: event.seq,
      at: event.time,
      action: network.action,
      panId: network.panId.toString(16).toUpperCase().padStart(4, '0'),
      extendedPanId: network.extendedPanId,
      channel: network.channel,
      adapter: network.adapter,
    });
    // Our own coordinator formed the HAN: the own-network route, unless a visit event says otherwise.
    if (!draft.routeRecorded) draft.visit.route = 'own-network';
  },
  'han.device': (draft, payload, context) => {
    const { eui64, state, reason: raw, deviceType } = hanDevicePayload.parse(payload);
    const at = context.event.time;
    const reason = raw === undefined ? undefined : context.text(raw);
    const device = deviceByEui64(draft, eui64, asDeviceType(deviceType));
    const { stages } = device;
    switch (state) {
      case 'whitelisted':
        stages.whitelist = stage('ok', at);
        break;
      case 'joined':
        stages.join = stage('ok', at);
        delete device.leftNetworkAt;
        break;
      case 'interviewing':
        stages.interview = stage('pending', at);
        break;
      case 'ready':
        stages.interview = stage('ok', at);
        break;
      case 'refused':
        stages.join = stage('failed', at, reason ?? 'refused');
        break;
      case 'failed':
        // A failure during the interview is the interview's; otherwise the join never completed.
        if (stages.interview?.outcome === 'pending') stages.interview = stage('failed', at, reason ?? 'interview failed');
        else stages.join = stage('failed', at, reason ?? 'join failed');
        break;
      case 'left':
        device.leftNetworkAt = at;
        break;
    }
    if (!device.listed) {
      device.status = state === 'failed' || state === 'refused' ? 'failed' : state === 'joined' || state === 'ready' ? 'joined' : device.status;
      if (reason !== undefined) device.statusReason = reason;
    }
  },
};
