import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStore } from '../../secrets/secret-store';
import { ensureDeviceCertificates, SMKI_CACHE_FOLDER, smkiCacheKeyStore, type CertificateProblems } from '../device-certificate-cache';
import type { SmkiEndpoint } from '../smki-client';
import { combineKeyStores, folderKeyStore, userKeyStore, zaz1KeyStore, type GbcsKeyStore } from './keys';

/**
 * Where the app's GBCS keys come from when a response arrives: the User's key-agreement key unsealed from the
 * secret store (not held between responses), the device certificates kept in the data folder
 * (`<data>/dcc/device-certificates`, `<eui>-ka.pem`/`-ds.pem`: placed there by hand, the engineer's own trust),
 * the ones fetched from SMKI (its `smki` folder, used only while they pass the SMKI Device CA check), and the
 * ZAZ1 test keys while the test PKI is in use (training, DCC Boxed).
 */
export type GbcsKeySource = (
  /** Devices the message comes from: their certificates are fetched from SMKI first when the folder lacks them. */
  devices?: readonly string[],
) => Promise<GbcsKeyStore>;

export interface GbcsKeySourceOptions {
  readonly certificatesDir: string;
  readonly testCredentials: boolean;
  /** Where missing device certificates are looked up (DCC Boxed's SMKI interface, or the simulator's). */
  readonly smki?: SmkiEndpoint;
  /** The SMKI Device CA certificates that SMKI's device certificates must be issued by (none: none are used). */
  readonly smkiDeviceCa?: readonly X509Certificate[];
  /**
   * The User's own GBCS private keys, sealed: key agreement (opens encrypted responses, checks MACs) and digital
   * signing (signs critical requests' pre-commands). Unsealed on each use, never held between uses.
   */
  readonly user?: {
    readonly userId: string;
    readonly keyAgreementKeyToken?: string;
    readonly digitalSigningKeyToken?: string;
    readonly secrets: Pick<SecretStore, 'decrypt'>;
  };
}

export function gbcsKeySource(options: GbcsKeySourceOptions): GbcsKeySource {
  const smkiDir = join(options.certificatesDir, SMKI_CACHE_FOLDER);
  const anchors = options.smkiDeviceCa ?? [];
  return async (devices = []) => {
    const problems: CertificateProblems = new Map();
    if (options.smki)
      for (const device of devices) for (const [key, why] of await ensureDeviceCertificates(smkiDir, device, options.smki, anchors)) problems.set(key, why);
    const stores: GbcsKeyStore[] = [];
    // The User's own keys come before the ZAZ1 ones: a sealed digital-signing key is the one pre-commands are signed with.
    if (options.user) stores.push(userKeyStore(options.user.userId, await unsealUserKeys(options.user)));
    if (existsSync(options.certificatesDir)) stores.push(folderKeyStore([options.certificatesDir]));
    stores.push(smkiCacheKeyStore(smkiDir, anchors, problems));
    if (options.testCredentials) stores.push(zaz1KeyStore());
    return combineKeyStores(stores);
  };
}

async function unsealUserKeys(user: NonNullable<GbcsKeySourceOptions['user']>): Promise<{ ka?: KeyObject; ds?: KeyObject }> {
  const unseal = async (token: string | undefined): Promise<KeyObject | undefined> =>
    token === undefined ? undefined : createPrivateKey(await user.secrets.decrypt(token));
  const [ka, ds] = [await unseal(user.keyAgreementKeyToken), await unseal(user.digitalSigningKeyToken)];
  return { ...(ka ? { ka } : {}), ...(ds ? { ds } : {}) };
}
