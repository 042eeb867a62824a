import { createPrivateKey } from 'node:crypto';
import type { DccStatus } from '../../src-shared/ipc/channels/dcc';
import { compactEui } from './eui';
import { zaz1KeyStore } from './gbcs/keys';

/**
 * The User's GBCS digital-signing key: what signs the pre-commands of critical requests (8.1.1 commission, 8.7.1
 * join). It arrives once in the connection form, is checked here, sealed in the secret store and unsealed only
 * when a pre-command is signed (`gbcs/key-source.ts`).
 */

/** A connection setting refused for one field: the form shows the message beside that field. */
export class ConnectionFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectionFieldError';
  }
}

/** Runs a check of one field's value; whatever it refuses is refused beside that field. */
export function checkField<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ConnectionFieldError) throw error;
    throw new ConnectionFieldError(field, error instanceof Error ? error.message : String(error));
  }
}

/** GBCS signs with ECDSA over P-256 (GBCS 4.3.3): any other key would give signatures no DCC accepts. */
export function checkUserDigitalSigningKey(pem: string): void {
  const field = 'userDigitalSigningKeyPem';
  let curve: string | undefined;
  let type: string | undefined;
  try {
    const key = createPrivateKey(pem);
    type = key.asymmetricKeyType;
    curve = key.asymmetricKeyDetails?.namedCurve;
  } catch {
    throw new ConnectionFieldError(
      field,
      "the User's GBCS digital-signing key could not be read: paste the whole unencrypted PEM private key, from -----BEGIN to -----END",
    );
  }
  if (type !== 'ec' || curve !== 'prime256v1')
    throw new ConnectionFieldError(
      field,
      `the User's GBCS digital-signing key is ${type === 'ec' ? `an EC key on ${curve ?? 'an unknown curve'}` : `a${type === 'rsa' ? 'n RSA' : ` ${type ?? 'unknown'}`} key`}, not a P-256 EC key: GBCS signs only with P-256; use the key of the User's digitalSignature Organisation certificate`,
    );
}

/** Where a connection's pre-command signing key comes from, for the DCC screen (no key is unsealed to say so). */
export function signingKeyOrigin(connection: {
  readonly userId: string;
  readonly testCredentials: boolean;
  readonly userDigitalSigningKeyToken?: string;
}): NonNullable<DccStatus['gbcsSigningKey']> {
  if (connection.userDigitalSigningKeyToken) return 'secret-store';
  if (connection.testCredentials && zaz1KeyStore().privateKeys(compactEui(connection.userId).toLowerCase(), 'ds').length > 0) return 'test-pki';
  return 'none';
}
