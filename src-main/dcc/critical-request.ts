import type { KeyObject } from 'node:crypto';
import type { DuisSigningCredentials } from './credentials';
import type { DccRequestRecord } from './dcc-gateway';
import type { DuisResponse } from './duis-response';
import { compactEui } from './eui';
import { checkPreCommand, signPreCommand } from './gbcs/pre-command';
import type { GbcsKeySource } from './gbcs/key-source';
import { buildSignedPreCommandXml } from './request-builder';
import { parseRequestId } from './request-id';
import { signDuisXml } from './xmldsig';

/**
 * The User's half of a critical request (DUIS CommandVariant 4): serviceT answers with a GBCS pre-command; we
 * check it is for the request we sent, to the device we named, with our RequestID's counter; sign it with the
 * User's GBCS digital-signing key; and wrap it as a `SignedPreCommand` (same RequestID, CV 5/6/7) for serviceS.
 */
export type SignedPreCommand =
  | { readonly ok: true; readonly signedXml: string; readonly commandVariant: number; readonly useCase: string }
  | { readonly ok: false; readonly reason: string };

/** Where a request record stands in the two legs of a critical request. */
export interface CriticalProgress {
  /** `transform`: the CV 4 request is queued or on its way to serviceT; `signed`: the signed pre-command is. */
  readonly phase: 'transform' | 'signed';
  /** CV of the second leg (5 WAN, 6 local delivery, 7 both). */
  readonly signedCommandVariant: number;
  /** The GBCS use case of the pre-command we signed (ECS70, GCS28, CS03A1 …). */
  readonly useCase?: string;
}

export function signedPreCommandRequest(options: {
  readonly record: Pick<DccRequestRecord, 'requestId' | 'variant' | 'targetId' | 'critical'>;
  readonly response: DuisResponse;
  readonly credentials: DuisSigningCredentials;
  readonly signingKey: KeyObject | undefined;
}): SignedPreCommand {
  const { record, response, credentials } = options;
  const preCommand = response.body.kind === 'response' ? response.body.preCommand : undefined;
  if (!preCommand) return { ok: false, reason: 'the DCC accepted the critical request but returned no pre-command to sign' };
  const checked = checkPreCommand(Buffer.from(preCommand.payload, 'base64'), {
    serviceReference: record.variant,
    originator: credentials.userId,
    recipient: record.targetId,
    counter: parseRequestId(record.requestId).counter,
  });
  if (!checked.ok) return { ok: false, reason: `the DCC's pre-command was refused, nothing was signed: ${checked.reason}` };
  if (!options.signingKey)
    return {
      ok: false,
      // "no GBCS digital-signing key" is what the install visit recognises (flows/live-steps.ts): keep it.
      reason: `no GBCS digital-signing key is held for User ${credentials.userId}, so the pre-command was not signed and nothing reached the device: add the User's GBCS digital-signing key under "Connect to a DCC Boxed or test lab" on the DCC screen, then send it again`,
    };
  const commandVariant = record.critical?.signedCommandVariant ?? 5;
  const xml = buildSignedPreCommandXml({
    requestId: record.requestId,
    commandVariant,
    variant: record.variant,
    gbcs: signPreCommand(checked.unsigned, options.signingKey),
  });
  return { ok: true, signedXml: signDuisXml(xml, credentials), commandVariant, useCase: checked.useCase };
}

/**
 * The User's GBCS digital-signing private key from the GBCS key store: the ZAZ1 test supplier's in training and
 * on a DCC Boxed, otherwise whatever the store unseals for the User. Undefined when none is known.
 */
export async function preCommandSigningKey(keys: GbcsKeySource | undefined, userId: string): Promise<KeyObject | undefined> {
  const store = await keys?.();
  return store?.privateKeys(compactEui(userId).toLowerCase(), 'ds')[0];
}
