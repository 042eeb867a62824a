import { decodeGbcs, type GbcsMessage, type GbcsRefusal } from './decode';
import { combineKeyStores, type GbcsKeyStore } from './keys';

/**
 * What a DUIS response's GBCS payload contributes to the request record: who sent it, the verdicts, and — only
 * when trusted — the typed result and reading. The payload tree itself is not kept (the raw base64 is, in the
 * DUIS document), so a refused message leaves nothing from its content behind.
 */
export type GbcsSummary =
  | Pick<
      GbcsMessage,
      | 'ok'
      | 'cra'
      | 'useCase'
      | 'serviceReference'
      | 'messageCode'
      | 'originator'
      | 'counter'
      | 'mac'
      | 'signature'
      | 'encrypted'
      | 'decryption'
      | 'trusted'
      | 'untrustedReason'
      | 'result'
      | 'reading'
    >
  | GbcsRefusal;

const NO_KEYS = combineKeyStores([]);

/** Decodes `sr:GBCSPayload` (base64 of the GBCS message). */
export function summariseGbcsPayload(base64: string, keys: GbcsKeyStore = NO_KEYS): GbcsSummary {
  const bytes = Buffer.from(base64, 'base64');
  const decoded = decodeGbcs(bytes, keys);
  if (!decoded.ok) return { ok: false, reason: `the device payload is not readable GBCS: ${decoded.reason}`, offset: decoded.offset };
  return {
    ok: true,
    cra: decoded.cra,
    useCase: decoded.useCase,
    serviceReference: decoded.serviceReference,
    messageCode: decoded.messageCode,
    originator: decoded.originator,
    counter: decoded.counter,
    mac: decoded.mac,
    signature: decoded.signature,
    encrypted: decoded.encrypted,
    decryption: decoded.decryption,
    trusted: decoded.trusted,
    ...(decoded.untrustedReason ? { untrustedReason: decoded.untrustedReason } : {}),
    result: decoded.result,
    reading: decoded.reading,
  };
}

/** Why a summary cannot be used (refused, unverifiable, or its encrypted part not opened), or undefined. */
export function gbcsRefusal(summary: GbcsSummary): string | undefined {
  if (!summary.ok) return summary.reason;
  if (!summary.trusted) return summary.untrustedReason;
  if (summary.decryption === 'invalid') return 'the device payload is encrypted for us but does not decrypt (its tag does not verify)';
  if (summary.decryption === 'unknown') return 'the device payload is encrypted and no key-agreement key of ours can open it';
  return undefined;
}
