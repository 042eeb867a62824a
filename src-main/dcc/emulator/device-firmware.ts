import type { PremisesModel } from '../../premises/premises-model';
import { seededRandom } from '../../util/seeded-random';

/**
 * The firmware version each simulated device reports to 11.2 Read Firmware Version: four octets, as every
 * RTDS 4.5.0 11.2 response and both DCC Boxed captures carry it (../shared/data/gbcs), shown as hex the way
 * Parse & Correlate and the app's GBCS reader show it. Drawn from its own stream of the premises seed and the
 * device's EUI-64, so the premises model's own draws are untouched and the same seed always gives the same
 * versions. Octets: major 1–4, minor 0–15, patch 0–63, build 0.
 */
export function simulatedFirmwareVersion(model: PremisesModel, deviceId: string): string {
  const eui = deviceId.replace(/-/g, '').toUpperCase();
  let hash = 0x811c9dc5;
  for (const c of eui) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193) >>> 0;
  const random = seededRandom((model.seed * 0x9e3779b1) ^ hash);
  const octets = [1 + Math.floor(random() * 4), Math.floor(random() * 16), Math.floor(random() * 64), 0];
  return Buffer.from(octets).toString('hex').toUpperCase();
}
