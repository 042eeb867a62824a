import { createPublicKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import type { VirtualDeviceType } from '../../premises/premises-model';
import { compactEui } from '../eui';
import type { GbcsKeyStore, KeyUsage } from '../gbcs/keys';
import { issueCaCertificate, issueCertificate } from './test-ca';

/**
 * The training premises' GBCS devices as SMKI knows them: every simulated ESME, GSME, IHD, PPMID, Comms Hub
 * (CHF) and GPF gets its own key-agreement and digital-signing P-256 key pairs at simulator start-up, each
 * with an SMKI Device Certificate issued by the simulator's test SMKI Device CA (empty subject, the EUI-64 in
 * the subjectAltName, one key usage). The simulator MACs, signs and encrypts device responses with these keys;
 * its SMKI interface serves the certificates; nothing here is trusted outside the training premises.
 */
export interface DeviceKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** PEM of the SMKI Device Certificate for this key. */
  readonly certificate: string;
  /** Certificate serial, upper-case hex (what SMKI searches by). */
  readonly serial: string;
}

export interface DeviceIdentity {
  /** 16 upper-case hex digits. */
  readonly eui: string;
  readonly type: VirtualDeviceType | 'unknown';
  /** Key agreement (ECDH: MACs and encryption). */
  readonly ka: DeviceKeyPair;
  /** Digital signing (ECDSA: signed responses and alerts). */
  readonly ds: DeviceKeyPair;
}

export interface DevicePki {
  /** PEM of the test SMKI Device CA that issued every certificate here. */
  readonly caCertificate: string;
  /** Name of that CA (the certificates' issuer CN). */
  readonly caName: string;
  /** The device with this EUI-64 (any form), or undefined when SMKI has no certificates for it. */
  device(eui: string): DeviceIdentity | undefined;
  /** Every device, in the order issued. */
  devices(): readonly DeviceIdentity[];
  /**
   * Issues key pairs and certificates for a device that appears later (a device pre-notified with 12.2); a
   * device already known keeps its identity.
   */
  issue(eui: string, type: DeviceIdentity['type']): DeviceIdentity;
  /** Public keys of every device as a GBCS key store (what a User holding all the certificates has). */
  keyStore(): GbcsKeyStore;
}

const pair = (): { privateKey: KeyObject; publicKey: KeyObject } => generateKeyPairSync('ec', { namedCurve: 'P-256' });

interface Issuer {
  readonly name: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly validDays: number;
}

/** A fresh key pair and its SMKI Device Certificate from `issuer`. */
function issueKeyPair(eui: string, usage: 'keyAgreement' | 'digitalSignature', issuer: Issuer): DeviceKeyPair {
  const keys = pair();
  const certificate = issueCertificate({
    subject: '',
    issuer: issuer.name,
    publicKey: keys.publicKey,
    issuerKey: issuer.privateKey,
    issuerPublicKey: issuer.publicKey,
    profile: { kind: 'smki-device', usage, eui },
    validDays: issuer.validDays,
  });
  return { ...keys, certificate, serial: new X509Certificate(certificate).serialNumber.toUpperCase() };
}

/**
 * Makes a device identity without any CA's blessing: keys and self-issued certificates SMKI never saw. The
 * training fault "a device whose certificate SMKI does not know" answers with one of these.
 */
export function createUnregisteredDevice(eui: string, type: DeviceIdentity['type'] = 'unknown'): DeviceIdentity {
  const issuer = { name: 'Unregistered device CA', ...pair(), validDays: 7 };
  const id = compactEui(eui);
  return { eui: id, type, ka: issueKeyPair(id, 'keyAgreement', issuer), ds: issueKeyPair(id, 'digitalSignature', issuer) };
}

/** Starts the test SMKI Device CA and issues identities for the given devices. */
export function createDevicePki(
  devices: readonly { readonly eui64: string; readonly type: VirtualDeviceType }[],
  caName = 'Z1 test SMKI Device CA',
): DevicePki {
  const ca = pair();
  const caCertificate = issueCaCertificate(caName, ca, 30);
  const byEui = new Map<string, DeviceIdentity>();
  const issuer: Issuer = { name: caName, ...ca, validDays: 30 };
  const issue = (eui: string, type: DeviceIdentity['type']): DeviceIdentity => {
    const id = compactEui(eui);
    const known = byEui.get(id);
    if (known) return known;
    const identity: DeviceIdentity = { eui: id, type, ka: issueKeyPair(id, 'keyAgreement', issuer), ds: issueKeyPair(id, 'digitalSignature', issuer) };
    byEui.set(id, identity);
    return identity;
  };
  for (const device of devices) issue(device.eui64, device.type);
  return {
    caCertificate,
    caName,
    device: (eui) => {
      try {
        return byEui.get(compactEui(eui));
      } catch {
        return undefined;
      }
    },
    devices: () => [...byEui.values()],
    issue,
    keyStore: () => ({
      publicKeys: (eui: string, usage: KeyUsage) => {
        const identity = byEui.get(eui.toUpperCase());
        return identity ? [createPublicKey(identity[usage].certificate)] : [];
      },
      privateKeys: () => [],
      brokers: [],
    }),
  };
}
