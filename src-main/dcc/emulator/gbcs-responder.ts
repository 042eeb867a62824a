import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { compactEui } from '../eui';
import { zaz1KeyStore, ZAZ1_BROKER } from '../gbcs/keys';
import { writeGbcsMessage } from '../gbcs/writer';
import type { DeviceIdentity, DevicePki } from './device-pki';
import { createUnregisteredDevice } from './device-pki';
import { dlmsDateTime } from './gbcs-content';
import type { GbcsAnswer } from './device-handlers';

/**
 * Frames a simulated device's answer as a DCC Boxed delivers it in `sr:GBCSPayload`:
 * - a meter (ESME, GSME) answers the User's command directly: recipient = the User, counter = the RequestID's;
 * - the Comms Hub, GPF, PPMID and HCALCS answer commands the DCC's access control broker sent for the User: recipient = the
 *   ACB (90-B3-D5-1F-30-00-00-02), counter = the ACB's own, and the User with its RequestID counter as the
 *   supplementary remote party (RTDS 8.11_CCS01, 8.9_CCS06);
 * - MAC'd with the device's key-agreement key and the recipient's (GBCS 4.3.3.2), signed where the handler says
 *   GBCS requires it, content encrypted for the User's key-agreement key.
 * Training faults replace one of those keys, or the device itself, so the app's checks have something to refuse.
 */
export type GbcsFault = 'none' | 'bad-mac' | 'bad-signature' | 'undecryptable' | 'unknown-device' | 'other-device';
export const GBCS_FAULTS: readonly GbcsFault[] = ['none', 'bad-mac', 'bad-signature', 'undecryptable', 'unknown-device', 'other-device'];

export interface GbcsResponderOptions {
  readonly pki: DevicePki;
  /** The User (DUIS form or compact). */
  readonly userId: string;
  /** Epoch-ms clock for the header date-time and the ACB's counter. */
  readonly now: () => number;
}

export interface DeviceResponseInput {
  readonly answer: GbcsAnswer;
  /** The RequestID target (the device that answers). */
  readonly deviceId: string;
  readonly deviceType: string;
  readonly requestCounter: bigint;
  readonly fault: GbcsFault;
}

/** A ZAZ1 test organisation's key-agreement public key (the User and the ACB hold each of theirs privately). */
function zaz1KeyAgreementKey(eui: string): KeyObject {
  const key = zaz1KeyStore().publicKeys(eui, 'ka')[0];
  if (!key) throw new Error(`the ZAZ1 keystore has no key-agreement certificate for ${eui}`);
  return key;
}

/** Devices the DCC's ACB commands for the User (RTDS 8.11_CCS01, 8.9_CCS06, 11.2_CS08 to a PPMID or HCALCS). */
const viaBroker = new Set(['CHF', 'GPF', 'PPMID', 'HCALCS']);

export function createGbcsResponder(options: GbcsResponderOptions): (input: DeviceResponseInput) => Buffer {
  const user = compactEui(options.userId);
  const userKa = zaz1KeyAgreementKey(user.toLowerCase());
  const brokerKa = zaz1KeyAgreementKey(ZAZ1_BROKER);
  const stranger = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  let brokerCounter = BigInt(options.now()) * 1000n;
  const unregistered = new Map<string, DeviceIdentity>();

  /** A device SMKI has never certified, standing in for the target: its EUI differs in the last byte. */
  const impostorOf = (eui: string): DeviceIdentity => {
    const id = compactEui(eui);
    const other = id.slice(0, 14) + ((parseInt(id.slice(14), 16) ^ 0xff) & 0xff).toString(16).toUpperCase().padStart(2, '0');
    let identity = unregistered.get(other);
    if (!identity) unregistered.set(other, (identity = createUnregisteredDevice(other)));
    return identity;
  };

  /** Another device SMKI has certified (its keys sound, its MAC valid), answering in the target's place. */
  const neighbourOf = (eui: string): DeviceIdentity => {
    const other = options.pki.devices().find((d) => d.eui !== eui);
    if (other) return other;
    const id = compactEui(eui);
    return options.pki.issue(id.slice(0, 14) + ((parseInt(id.slice(14), 16) ^ 0x0f) & 0xff).toString(16).toUpperCase().padStart(2, '0'), 'unknown');
  };

  return (input) => {
    const known = options.pki.device(input.deviceId) ?? options.pki.issue(input.deviceId, 'unknown');
    const device = input.fault === 'unknown-device' ? impostorOf(known.eui) : input.fault === 'other-device' ? neighbourOf(known.eui) : known;
    const broker = viaBroker.has(input.deviceType);
    const recipient = broker ? ZAZ1_BROKER.toUpperCase() : user;
    const counter = broker ? ++brokerCounter : input.requestCounter;
    const supplementary = broker
      ? Buffer.concat([Buffer.from(user, 'hex'), Buffer.from(input.requestCounter.toString(16).padStart(16, '0'), 'hex')])
      : undefined;
    const content = input.answer.content({
      originator: device.eui,
      reader: user,
      counter: input.requestCounter,
      frameCounter: counter,
      devicePrivateKey: device.ka.privateKey,
      // An undecryptable payload: encrypted for a key no User holds.
      readerPublicKey: input.fault === 'undecryptable' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey : userKa,
    });
    const signingKey = input.fault === 'bad-signature' ? stranger() : input.answer.signed ? device.ds.privateKey : undefined;
    return writeGbcsMessage({
      cra: 'response',
      counter,
      originator: device.eui,
      recipient,
      messageCode: input.answer.messageCode,
      ...(input.answer.dateTime ? { dateTime: dlmsDateTime(new Date(options.now())) } : {}),
      ...(supplementary ? { supplementary } : {}),
      content,
      ...(signingKey ? { signingKey } : {}),
      mac: { privateKey: input.fault === 'bad-mac' ? stranger() : device.ka.privateKey, publicKey: broker ? brokerKa : userKa },
    });
  };
}
