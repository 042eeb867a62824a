import type { KeyObject } from 'node:crypto';
import { compactEui, toDuisEui } from '../eui';
import { signatureMatches } from '../gbcs/crypto';
import { readFrame } from '../gbcs/framing';
import { writeGbcsMessage } from '../gbcs/writer';
import type { DuisEndpoint } from '../request-builder';
import { serviceRequestDefinition } from '../service-requests';
import {
  CRITICAL_MESSAGE_CODES,
  cs03a1Command,
  cs03a1Response,
  ecs70Command,
  ecs70Response,
  gcs28Command,
  gcs28Response,
  JOIN_DEVICE_TYPES,
} from './critical-content';
import { Refusal, type DeviceLogEntry, type SmiStatus } from './device-handlers';
import { parseRequestId } from '../request-id';
import type { DevicePki } from './device-pki';

/**
 * The simulator's DCC side of critical requests (8.1.1, 8.7.1), as a DCC Boxed handles them: CV 4 on serviceT
 * is transformed into a GBCS pre-command for the User to sign; only a `SignedPreCommand` on serviceS (CV 5, 6
 * or 7) carrying exactly that pre-command, signed with the User's GBCS digital-signing key, is sent to the
 * device, whose response is signed with its own key (a bare general-signing APDU, as RTDS critical responses
 * are). Refusals carry DUIS codes: E11 device type, E12 CommandVariant, E13 endpoint, E19 unknown device, E5 SMI
 * status, E4 a pre-command that is unsigned, altered, not ours or signed with the wrong key.
 */
export type CriticalOutcome =
  | { readonly kind: 'refused'; readonly code: string; readonly reason: string }
  | { readonly kind: 'pre-command'; readonly gbcs: Buffer }
  /** Executed on the premises; `response` is the device's signed GBCS answer, posted asynchronously. */
  | { readonly kind: 'accepted'; readonly response: Buffer };

export interface CriticalRequest {
  readonly variant: '8.1.1' | '8.7.1';
  readonly endpoint: DuisEndpoint;
  readonly commandVariant: number;
  readonly serviceReference: string | undefined;
  /** The request's `sr:Body` (namespace prefixes removed). */
  readonly body: Record<string, unknown>;
  readonly requestId: string;
  readonly userId: string;
  readonly targetId: string;
  readonly counter: bigint;
}

export interface CriticalDeskOptions {
  readonly now: () => number;
  /** The simulator's SMI (DUIS EUI form keys), changed as commissioning and joins happen. */
  readonly smi: Map<string, SmiStatus>;
  readonly typeOf: ReadonlyMap<string, string>;
  readonly deviceLog: { get(): readonly DeviceLogEntry[]; set(entries: DeviceLogEntry[]): void };
  readonly devicePki: DevicePki;
  /** The User's GBCS digital-signing public keys (its SMKI organisation certificate; ZAZ1 in training). */
  readonly userSigningKeys: (userId: string) => readonly KeyObject[];
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);
const refuse = (code: string, reason: string): CriticalOutcome => ({ kind: 'refused', code, reason });
const COMMISSIONABLE: ReadonlySet<SmiStatus> = new Set(['Whitelisted', 'InstalledNotCommissioned', 'Commissioned']);

export function createCriticalDesk(options: CriticalDeskOptions) {
  /** Pre-commands issued by Transform and not yet sent back signed, by RequestID: one use each. */
  const issued = new Map<string, { readonly unsigned: Buffer; readonly run: () => Buffer }>();

  /** Checks the device side and prepares the command's content and what executing it does. */
  const plan = (request: CriticalRequest, node: Record<string, unknown>): { messageCode: number; content: Buffer; run: () => Buffer } | CriticalOutcome => {
    const target = request.targetId;
    const type = options.typeOf.get(target);
    const status = options.smi.get(target);
    if (!status) return refuse('E19', `device ${target} is not in the SMI`);
    const deviceKey = options.devicePki.device(target)?.ds.privateKey;
    if (!deviceKey) return refuse('E20', `device ${target} has no credentials to answer with`);
    const respond = (messageCode: number, content: Buffer): Buffer =>
      writeGbcsMessage({
        cra: 'response',
        counter: request.counter,
        originator: compactEui(target),
        recipient: compactEui(request.userId),
        messageCode,
        content,
        signingKey: deviceKey,
      });
    if (request.variant === '8.1.1') {
      if (type !== 'ESME' && type !== 'GSME') return refuse('E11', `8.1.1 commissions an ESME or GSME, not a ${type ?? 'device of unknown type'}`);
      if (!COMMISSIONABLE.has(status)) return refuse('E5', `device ${target} is ${status}: it cannot be commissioned`);
      const current = Date.parse(text(node.CurrentDateTime) ?? '');
      const tolerance = Number(text(node.TolerancePeriod)) * 1000;
      if (!Number.isFinite(current) || !Number.isFinite(tolerance)) return refuse('E11', 'CurrentDateTime or TolerancePeriod missing');
      const [from, to] = [current - tolerance, current + tolerance];
      const commission = (inWindow: boolean): void => {
        if (inWindow) options.smi.set(target, 'Commissioned');
      };
      if (type === 'ESME')
        return {
          messageCode: CRITICAL_MESSAGE_CODES.ECS70,
          content: ecs70Command(request.counter, from, to),
          // The ESME adjusts its clock to the preset time, so it reads the commissioning time back.
          run: () => (commission(true), respond(CRITICAL_MESSAGE_CODES.ECS70, ecs70Response(request.counter, current))),
        };
      return {
        messageCode: CRITICAL_MESSAGE_CODES.GCS28,
        content: gcs28Command(from, to),
        run: () => {
          const clock = options.now();
          commission(clock >= from && clock <= to);
          return respond(CRITICAL_MESSAGE_CODES.GCS28, gcs28Response(clock));
        },
      };
    }
    const other = toDuisEui(text(node.OtherDeviceID) ?? '0000000000000000');
    const otherType = options.typeOf.get(other);
    if (type !== 'ESME') return refuse('E11', `8.7.1 (CS03A1) is simulated with an ESME as the joining meter, not a ${type ?? 'device of unknown type'}`);
    if (!options.smi.has(other)) return refuse('E19', `device ${other} is not in the SMI (pre-notify it with 12.2)`);
    const joinType = JOIN_DEVICE_TYPES[otherType ?? ''];
    if (joinType === undefined) return refuse('E11', `a ${otherType ?? 'device of unknown type'} is not joined by Method A (8.7.1); use 8.7.2`);
    return {
      messageCode: CRITICAL_MESSAGE_CODES.CS03A1,
      content: cs03a1Command(compactEui(other), joinType),
      run: () => {
        // Only a device on the Comms Hub's device log is on the HAN to answer key establishment.
        const onLog = options.deviceLog.get().some((e) => e.deviceId === other);
        if (onLog) {
          const at = new Date(options.now()).toISOString();
          options.deviceLog.set(options.deviceLog.get().map((e) => (e.deviceId === other ? { ...e, joined: true, lastCommunications: at } : e)));
          options.smi.set(other, 'Commissioned');
        }
        return respond(CRITICAL_MESSAGE_CODES.CS03A1, cs03a1Response(onLog ? 0 : 13));
      },
    };
  };

  const transform = (request: CriticalRequest): CriticalOutcome => {
    if (request.endpoint !== 'serviceT') return refuse('E13', `CommandVariant 4 belongs on serviceT, not ${request.endpoint}`);
    const node = request.body[serviceRequestDefinition(request.variant).bodyElement];
    if (node === undefined) return refuse('E11', `the body is not a ${request.variant} request`);
    const planned = plan(request, typeof node === 'object' && node ? (node as Record<string, unknown>) : {});
    if ('kind' in planned) return planned;
    // A pre-command is the general-signing APDU without its signature field (GBCS form, as RTDS gives it).
    const unsigned = writeGbcsMessage({
      cra: 'command',
      counter: request.counter,
      originator: compactEui(request.userId),
      recipient: compactEui(request.targetId),
      messageCode: planned.messageCode,
      content: planned.content,
    }).subarray(0, -1);
    issued.set(request.requestId, { unsigned, run: planned.run });
    return { kind: 'pre-command', gbcs: unsigned };
  };

  const sendSigned = (request: CriticalRequest): CriticalOutcome => {
    if (request.endpoint !== 'serviceS')
      return refuse('E13', `a signed pre-command (CV ${request.commandVariant}) belongs on serviceS, not ${request.endpoint}`);
    const payload = text((request.body.SignedPreCommand as Record<string, unknown> | undefined)?.GBCSPayload);
    if (!payload) return refuse('E12', `CommandVariant ${request.commandVariant} carries a SignedPreCommand, and this request has none`);
    const pending = issued.get(request.requestId);
    if (!pending) return refuse('E4', `no pre-command was issued for RequestID ${request.requestId} (send it with CV 4 to serviceT first)`);
    let frame;
    try {
      frame = readFrame(Buffer.from(payload, 'base64'));
    } catch {
      return refuse('E4', 'the signed pre-command is not readable GBCS');
    }
    if (!frame.signature || frame.signature.length === 0) return refuse('E4', 'the pre-command is not signed');
    if (!Buffer.from(frame.signedData).equals(pending.unsigned.subarray(1))) return refuse('E4', 'the signed pre-command is not the one Transform issued');
    const keys = options.userSigningKeys(request.userId);
    if (!keys.some((key) => signatureMatches(key, frame.signedData, frame.signature!)))
      return refuse('E4', "the pre-command's signature does not verify with the User's digital-signing certificate");
    issued.delete(request.requestId);
    return { kind: 'accepted', response: pending.run() };
  };

  return {
    handle(request: CriticalRequest): CriticalOutcome {
      if (request.serviceReference !== serviceRequestDefinition(request.variant).serviceReference)
        return refuse('E11', `ServiceReference does not match ${request.variant}`);
      if (request.commandVariant === 4) return transform(request);
      if ([5, 6, 7].includes(request.commandVariant)) return sendSigned(request);
      return refuse('E12', `${request.variant} is a critical request: CommandVariant 4 to serviceT, then 5, 6 or 7 with the signed pre-command`);
    },
  };
}

export type CriticalDesk = ReturnType<typeof createCriticalDesk>;

type XmlNode = Record<string, unknown>;
const nodeText = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);

/** What the simulator lends the critical endpoint: its fault controls, request log, DUIS response signer and async post. */
export interface CriticalEndpointDeps {
  readonly desk: CriticalDesk;
  readonly faults: { readonly errorCode?: string; readonly asyncErrorCode?: string; readonly dropResponses: boolean };
  readonly accepted: { push(entry: { requestId: string; variant: string; endpoint: DuisEndpoint; code: string }): unknown };
  readonly respond: (fields: {
    requestId?: string;
    responseId?: string;
    code: string;
    variant?: '8.1.1' | '8.7.1';
    gbcs?: Uint8Array;
    preCommand?: { gbcsVersion: string; gbcs: Uint8Array };
  }) => string;
  /** Posts the document `xml()` makes to the receive-response URL after the simulator's response delay. */
  readonly later: (requestId: string, xml: () => string) => void;
}

/**
 * serviceT / serviceS for 8.1.1 and 8.7.1 once the request's XML signature has verified: I0 with the pre-command,
 * or I99 and the device's signed response later. Throws the simulator's `Refusal` with the DUIS code.
 */
export function criticalEndpoint(deps: CriticalEndpointDeps) {
  return (endpoint: DuisEndpoint, root: XmlNode, variant: '8.1.1' | '8.7.1', requestId: string): { status: number; body: string } => {
    const header = (root.Header ?? {}) as XmlNode;
    const { userId, targetId, counter } = parseRequestId(requestId);
    if (deps.faults.errorCode) throw new Refusal(deps.faults.errorCode, 'fault injected');
    const outcome = deps.desk.handle({
      variant,
      endpoint,
      commandVariant: Number(nodeText(header.CommandVariant)),
      serviceReference: nodeText(header.ServiceReference),
      body: (root.Body ?? {}) as XmlNode,
      requestId,
      userId,
      targetId,
      counter,
    });
    if (outcome.kind === 'refused') throw new Refusal(outcome.code, outcome.reason);
    if (outcome.kind === 'pre-command') {
      deps.accepted.push({ requestId, variant, endpoint, code: 'I0' });
      return { status: 200, body: deps.respond({ requestId, code: 'I0', variant, preCommand: { gbcsVersion: '4.0', gbcs: outcome.gbcs } }) };
    }
    deps.accepted.push({ requestId, variant, endpoint, code: 'I99' });
    const asyncCode = deps.faults.asyncErrorCode;
    if (!deps.faults.dropResponses) {
      const responseId = `${targetId}:${userId}:${counter}`;
      deps.later(requestId, () => deps.respond({ requestId, responseId, code: asyncCode ?? 'I0', variant, ...(asyncCode ? {} : { gbcs: outcome.response }) }));
    }
    return { status: 200, body: deps.respond({ requestId, code: 'I99', variant }) };
  };
}
