import { createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The keys GBCS checks need, by EUI-64 (16 lower-case hex digits): devices' and organisations' public keys
 * (from certificates) and the private keys this side holds. Synchronous so decoding stays a pure function;
 * whatever must be unsealed (the User's key from the secret store) is loaded into a store before decoding.
 * A missing key makes a verdict "unknown", never "valid".
 */
export type KeyUsage = 'ka' | 'ds';

export interface GbcsKeyStore {
  publicKeys(eui: string, usage: KeyUsage): readonly KeyObject[];
  privateKeys(eui: string, usage: KeyUsage): readonly KeyObject[];
  /**
   * Identities whose key-agreement private keys may have MAC'd a command in place of its originator: the DCC
   * access control broker (GBCS 4.3.1), whose key DCC Boxed publishes in the ZAZ1 test PKI.
   */
  readonly brokers: readonly string[];
  /** Why a certificate this store could have offered for the device is not used (failed its SMKI check, SMKI down …). */
  certificateProblem?(eui: string, usage: KeyUsage): string | undefined;
}

type KeyMap = Map<string, KeyObject[]>;

class MapKeyStore implements GbcsKeyStore {
  readonly publicMap: KeyMap = new Map();
  readonly privateMap: KeyMap = new Map();
  constructor(readonly brokers: readonly string[] = []) {}
  publicKeys(eui: string, usage: KeyUsage): readonly KeyObject[] {
    return this.publicMap.get(`${eui.toLowerCase()}-${usage}`) ?? [];
  }
  privateKeys(eui: string, usage: KeyUsage): readonly KeyObject[] {
    return this.privateMap.get(`${eui.toLowerCase()}-${usage}`) ?? [];
  }
  add(map: KeyMap, eui: string, usage: KeyUsage, key: KeyObject): void {
    const id = `${eui.toLowerCase()}-${usage}`;
    const list = map.get(id) ?? [];
    if (!list.some((k) => k.equals(key))) list.push(key);
    map.set(id, list);
  }
}

/** A store of public keys already vetted by the caller, with the reasons for the ones it left out. */
export function keyStoreOf(
  publics: readonly { readonly eui: string; readonly usage: KeyUsage; readonly publicKey: KeyObject }[],
  certificateProblem?: (eui: string, usage: KeyUsage) => string | undefined,
): GbcsKeyStore {
  const store = new MapKeyStore();
  for (const entry of publics) store.add(store.publicMap, entry.eui, entry.usage, entry.publicKey);
  return Object.assign(store, certificateProblem ? { certificateProblem: (eui: string, usage: KeyUsage) => certificateProblem(eui.toLowerCase(), usage) } : {});
}

/** A PEM holding an X.509 certificate or a bare public key. */
export function publicKeyFromPem(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

const KEY_FILE = /^([0-9a-f]{16})-(?:[a-z]+-)?(ka|ds)\.(pem|key)$/;

/**
 * Keys from folders laid out like the RTDS keystore: `<eui>-ka.pem|key`, `<eui>-ds.pem|key` (a `.pem` is a
 * certificate or public key, a `.key` a PKCS#8 private key; `<eui>-pp-ka.key`-style role infixes are read too).
 * Unreadable files are skipped and listed in `skipped` so a caller can say which.
 */
export function folderKeyStore(dirs: readonly string[]): GbcsKeyStore & { readonly skipped: readonly string[] } {
  const store = new MapKeyStore();
  const skipped: string[] = [];
  for (const dir of dirs) {
    for (const file of readdirSync(dir).sort()) {
      const match = KEY_FILE.exec(file.toLowerCase());
      if (!match) continue;
      const [, eui, usage, kind] = match as unknown as [string, string, KeyUsage, string];
      try {
        const text = readFileSync(join(dir, file), 'utf8');
        if (kind === 'pem') store.add(store.publicMap, eui, usage, publicKeyFromPem(text));
        else {
          const privateKey = createPrivateKey(text);
          store.add(store.privateMap, eui, usage, privateKey);
          store.add(store.publicMap, eui, usage, createPublicKey(privateKey));
        }
      } catch {
        skipped.push(join(dir, file));
      }
    }
  }
  // Any organisation whose key-agreement private key is in the folder may be the access control broker that
  // MAC'd a command (GBCS 18.4's vector is MAC'd by its ACB, not by the supplier that signed it).
  const brokers = [...new Set([...store.privateMap.keys()].filter((id) => id.endsWith('-ka')).map((id) => id.slice(0, 16)))];
  return Object.assign(store, { skipped, brokers });
}

interface KeystoreEntry {
  readonly certificate?: string;
  readonly privateKey?: string;
  readonly name?: string;
}
type ZazKeystore = Record<string, Record<string, Record<string, KeystoreEntry>>>;

/** The DCC access control broker of the ZAZ1 test PKI (DCC Boxed), EUI 90-B3-D5-1F-30-00-00-02. */
export const ZAZ1_BROKER = '90b3d51f30000002';
let zaz1: GbcsKeyStore | undefined;

/**
 * The public ZAZ1 test organisations' keys shipped by @smartdcc/dccboxed-keystore (the same as the RTDS
 * keystore's organisation keys): what the training premises and a DCC Boxed use. Always known to the CLI.
 */
export function zaz1KeyStore(): GbcsKeyStore {
  if (zaz1) return zaz1;
  const path = createRequire(import.meta.url).resolve('@smartdcc/dccboxed-keystore/keystore.json');
  const keystore = JSON.parse(readFileSync(path, 'utf8')) as ZazKeystore;
  const store = new MapKeyStore([ZAZ1_BROKER]);
  for (const [eui, usages] of Object.entries(keystore)) {
    for (const [usageName, entries] of Object.entries(usages)) {
      const usage: KeyUsage | undefined = usageName === 'keyAgreement' ? 'ka' : usageName === 'digitalSignature' ? 'ds' : undefined;
      if (!usage) continue;
      for (const entry of Object.values(entries)) {
        if (entry.name?.startsWith('xml-sign') || entry.name?.startsWith('dsp-xml-sign')) continue; // DUIS XML keys, not GBCS
        if (entry.certificate) store.add(store.publicMap, eui, usage, publicKeyFromPem(entry.certificate));
        if (entry.privateKey) store.add(store.privateMap, eui, usage, createPrivateKey(entry.privateKey));
      }
    }
  }
  zaz1 = store;
  return store;
}

/** One store answering from all of them, in order (duplicates kept once). */
export function combineKeyStores(stores: readonly GbcsKeyStore[]): GbcsKeyStore {
  // Stores are fixed once built, so each look-up is answered once and remembered (KeyObject.equals is slow).
  const answers = new Map<string, KeyObject[]>();
  const collect = (id: string, pick: (s: GbcsKeyStore) => readonly KeyObject[]): KeyObject[] => {
    const known = answers.get(id);
    if (known) return known;
    const keys: KeyObject[] = [];
    for (const store of stores) for (const key of pick(store)) if (!keys.some((k) => k.equals(key))) keys.push(key);
    answers.set(id, keys);
    return keys;
  };
  return {
    publicKeys: (eui, usage) => collect(`public ${eui.toLowerCase()} ${usage}`, (s) => s.publicKeys(eui, usage)),
    privateKeys: (eui, usage) => collect(`private ${eui.toLowerCase()} ${usage}`, (s) => s.privateKeys(eui, usage)),
    brokers: [...new Set(stores.flatMap((s) => s.brokers))],
    certificateProblem: (eui, usage) => {
      for (const store of stores) {
        const problem = store.certificateProblem?.(eui, usage);
        if (problem) return problem;
      }
      return undefined;
    },
  };
}

/**
 * The User's own private keys (unsealed from the secret store by the caller) as a store: key agreement, digital
 * signing, or both (a bare KeyObject is the key-agreement key).
 */
export function userKeyStore(userEui: string, keys: KeyObject | { readonly ka?: KeyObject; readonly ds?: KeyObject }): GbcsKeyStore {
  const store = new MapKeyStore();
  const eui = userEui.replace(/-/g, '').toLowerCase();
  const { ka, ds } = keys instanceof KeyObject ? { ka: keys, ds: undefined } : keys;
  for (const [usage, key] of [
    ['ka', ka],
    ['ds', ds],
  ] as const) {
    if (!key) continue;
    store.add(store.privateMap, eui, usage, key);
    store.add(store.publicMap, eui, usage, createPublicKey(key));
  }
  return store;
}
