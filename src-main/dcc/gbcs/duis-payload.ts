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

/**
 * The sender must be the device asked. GBCS puts the answering device in the grouping header's originator system
 * title for meters and for the Comms Hub / GPF alike (RTDS 8.11_CCS01, 8.9_CCS06: the CHF or GPF is originator
 * and the User only the supplementary remote party), so it must be the RequestID's target. A response from
 * another device — even one whose certificate is known and whose MAC verifies — is made untrusted here, its
 * content withheld, so it decides nothing (checked after the MAC and signature, so it is a known device's).
 */
export function requireSender(summary: GbcsSummary, targetEui: string): GbcsSummary {
  const asked = targetEui.replace(/-/g, '').toUpperCase().match(/../g)!.join('-');
  // An untrusted message is refused already, with the reason its own check gave.
  if (!summary.ok || !summary.trusted || summary.originator.toUpperCase() === asked) return summary;
  return {
    ...summary,
    trusted: false,
    untrustedReason: `The device message was refused: it comes from ${summary.originator.toUpperCase()}, not from ${asked}, the device the request went to; nothing from it is shown or used.`,
    decryption: summary.encrypted ? 'withheld' : 'none',
    result: null,
    reading: null,
  };
}
