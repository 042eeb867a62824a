import { sign, type KeyObject } from 'node:crypto';
import { GbcsFormatError, toHex } from './bytes';
import { readFrame, type GbcsFrame } from './framing';
import { useCaseFor } from './use-cases';

/**
 * Critical requests (DUIS CommandVariant 4 → serviceT): the DCC transforms the request into a GBCS pre-command,
 * a general-signing APDU without its signature field, which the User checks — it is for the request we sent,
 * to the device we named — and signs with its digital-signing key (GBCS 6.2.4: ECDSA P-256 / SHA-256 over the
 * APDU after its tag, 64-byte r ‖ s), then sends back with CV 5 (or 6/7) for the DCC to MAC and deliver.
 */
export interface PreCommandExpectation {
  /** The DUIS service reference variant requested, e.g. `8.1.1`. */
  readonly serviceReference: string;
  /** The User (originator) and the device (recipient), any EUI-64 form. */
  readonly originator: string;
  readonly recipient: string;
  /** The RequestID counter, when the DCC is expected to carry it into the transaction-id. */
  readonly counter?: bigint;
}

export type PreCommandCheck =
  { readonly ok: true; readonly frame: GbcsFrame; readonly unsigned: Buffer; readonly useCase: string } | { readonly ok: false; readonly reason: string };

const compact = (eui: string): string => eui.replace(/-/g, '').toUpperCase();

/** Reads and checks a pre-command; never throws. DCC Boxed's form with an empty signature field is accepted. */
export function checkPreCommand(bytes: Uint8Array, expected: PreCommandExpectation): PreCommandCheck {
  // DCC Boxed ends its pre-commands with an empty signature field (00) where GBCS leaves the field out.
  let unsigned = Buffer.from(bytes);
  let frame: GbcsFrame;
  try {
    frame = readFrame(unsigned);
    if (!frame.preCommand && !frame.signature && unsigned[unsigned.length - 1] === 0) {
      unsigned = unsigned.subarray(0, -1);
      frame = readFrame(unsigned);
    }
  } catch (error) {
    if (error instanceof GbcsFormatError) return { ok: false, reason: `the pre-command is not readable GBCS: ${error.reason} at byte ${error.offset}` };
    throw error;
  }
  if (frame.macHeader || !frame.preCommand) return { ok: false, reason: 'the DCC returned a finished command, not a pre-command awaiting our signature' };
  const { header } = frame;
  if (header.cra !== 'command') return { ok: false, reason: `the pre-command is a ${header.cra}, not a command` };
  if (toHex(header.originator) !== compact(expected.originator))
    return { ok: false, reason: `the pre-command is from ${toHex(header.originator)}, not from us (${compact(expected.originator)})` };
  if (toHex(header.recipient) !== compact(expected.recipient))
    return { ok: false, reason: `the pre-command is for device ${toHex(header.recipient)}, not ${compact(expected.recipient)}` };
  const row = useCaseFor(header.messageCode);
  if (!row?.serviceReferences.includes(expected.serviceReference))
    return {
      ok: false,
      reason: `the pre-command's message code 0x${header.messageCode.toString(16).padStart(4, '0')} (${row?.useCase ?? 'unknown use case'}) is not a ${expected.serviceReference} request`,
    };
  if (expected.counter !== undefined && header.counter !== expected.counter)
    return { ok: false, reason: `the pre-command carries counter ${header.counter}, not our request's ${expected.counter}` };
  return { ok: true, frame, unsigned, useCase: row.useCase };
}

/** Appends the signature field: 0x40 ‖ ECDSA(r ‖ s) over the APDU after its DF tag. */
export function signPreCommand(unsigned: Uint8Array, signingKey: KeyObject): Buffer {
  const signature = sign('sha256', unsigned.subarray(1), { key: signingKey, dsaEncoding: 'ieee-p1363' });
  return Buffer.concat([unsigned, Uint8Array.of(signature.length), signature]);
}
