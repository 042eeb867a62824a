import type { z } from 'zod';
import { DUIS_SCHEMA_VERSION, SR_NS } from './duis-codes';
import { toDuisEui } from './eui';
import { formatRequestId } from './request-id';
import { serviceRequestDefinition, serviceRequestParams, type ServiceRequestVariant } from './service-requests';
import { el, wrap, xmlForbiddenPaths } from './xml-text';

/** DCC Boxed endpoints: send command, transform (critical CV 4), non-device. */
export type DuisEndpoint = 'serviceS' | 'serviceT' | 'serviceD';

export interface BuiltRequest {
  readonly variant: ServiceRequestVariant;
  readonly name: string;
  readonly requestId: string;
  readonly commandVariant: number;
  readonly endpoint: DuisEndpoint;
  readonly targetId: string;
  /** Critical requests: the CommandVariant the signed pre-command goes with (5, 6 or 7). */
  readonly signedCommandVariant?: number;
  /** Compact unsigned XML (no whitespace between elements, which the DCC signature check requires). */
  readonly xml: string;
}

export class DuisParamsError extends Error {
  constructor(variant: string, issues: readonly z.core.$ZodIssue[]) {
    super(`invalid parameters for ${variant}: ${issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ')}`);
    this.name = 'DuisParamsError';
  }
}

export interface BuildOptions {
  readonly variant: ServiceRequestVariant;
  /** Untrusted: checked against the variant's schema. */
  readonly params: unknown;
  /** The DCC User ID (originator). */
  readonly userId: string;
  /** The DCC's own EUI-64: RequestID target of non-device requests. */
  readonly dccId: string;
  /** Called only once the parameters are valid, so a rejected request does not use up a counter. */
  readonly counter: () => bigint;
}

export function endpointFor(commandVariant: number): DuisEndpoint {
  if (commandVariant === 8) return 'serviceD';
  if (commandVariant === 4) return 'serviceT';
  return 'serviceS';
}

/** Builds one unsigned DUIS request; sign it with `signDuisXml` before sending. */
export function buildDuisRequest(options: BuildOptions): BuiltRequest {
  const definition = serviceRequestDefinition(options.variant);
  const schema = serviceRequestParams[options.variant] as z.ZodType;
  const parsed = schema.safeParse(options.params);
  if (!parsed.success) throw new DuisParamsError(options.variant, parsed.error.issues);
  // A character XML forbids (a NUL) cannot be escaped; it would be signed, sent and refused by the DCC.
  const forbidden = xmlForbiddenPaths(parsed.data);
  if (forbidden.length > 0)
    throw new DuisParamsError(
      options.variant,
      forbidden.map((path) => ({ code: 'custom', path, message: 'contains a control character XML cannot carry', input: undefined }) as z.core.$ZodIssue),
    );
  const params = parsed.data as never;
  const commandVariant = definition.commandVariant(params);
  const targetId = toDuisEui(definition.target(params, options.dccId));
  const requestId = formatRequestId(options.userId, targetId, options.counter());
  const xml = requestXml(requestId, commandVariant, options.variant, wrap(`sr:${definition.bodyElement}`, definition.body(params)));
  const signedCommandVariant = definition.signedCommandVariant?.(params);
  return {
    variant: options.variant,
    name: definition.name,
    requestId,
    commandVariant,
    endpoint: endpointFor(commandVariant),
    targetId,
    xml,
    ...(signedCommandVariant ? { signedCommandVariant } : {}),
  };
}

function requestXml(requestId: string, commandVariant: number, variant: ServiceRequestVariant, body: string): string {
  const definition = serviceRequestDefinition(variant);
  const header =
    el('sr:RequestID', requestId) +
    el('sr:CommandVariant', commandVariant) +
    el('sr:ServiceReference', definition.serviceReference) +
    el('sr:ServiceReferenceVariant', definition.variant);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<sr:Request xmlns:sr="${SR_NS}" schemaVersion="${DUIS_SCHEMA_VERSION}">` +
    wrap('sr:Header', header) +
    wrap('sr:Body', body) +
    '</sr:Request>'
  );
}

/**
 * The second leg of a critical request: the signed pre-command as a DUIS `SignedPreCommand` (the Transform
 * request's RequestID, CV 5/6/7, serviceS). Unsigned compact XML like every request; sign with `signDuisXml`.
 */
export function buildSignedPreCommandXml(options: {
  readonly requestId: string;
  readonly commandVariant: number;
  readonly variant: ServiceRequestVariant;
  readonly gbcs: Uint8Array;
}): string {
  const payload = el('sr:GBCSPayload', Buffer.from(options.gbcs).toString('base64'));
  return requestXml(options.requestId, options.commandVariant, options.variant, wrap('sr:SignedPreCommand', payload));
}
