import { buildMmcResponse } from '../mmc';
import type { DuisEndpoint } from '../request-builder';
import type { ParsedRequestId } from '../request-id';
import { serviceRequestDefinition, type ServiceRequestVariant } from '../service-requests';
import { deviceHandlers, Refusal, type SimulatedPremises, type XmlNode } from './device-handlers';
import type { DuisResponder } from './duis-responder';
import type { DeviceResponseInput } from './gbcs-responder';
import type { DccFaults, SimulatorPayloadFormat } from './simulator-faults';

/** An accepted request, as the simulator's `received()` lists it. */
export interface AcceptedRequest {
  readonly requestId: string;
  readonly variant: string;
  readonly endpoint: DuisEndpoint;
  readonly code: string;
}

/** What device-request dispatch borrows from the simulator. */
export interface DeviceDispatchDeps {
  readonly premises: SimulatedPremises;
  /** The trainer's fault controls, read when a request arrives. */
  readonly faults: Readonly<DccFaults>;
  readonly payloadFormat: () => SimulatorPayloadFormat;
  readonly gbcsResponse: (input: DeviceResponseInput) => Uint8Array;
  readonly responder: DuisResponder;
  readonly accepted: AcceptedRequest[];
  /** Posts the document `xml()` makes to the receive-response URL after the simulator's response delay. */
  readonly later: (requestId: string, xml: () => string) => void;
  readonly now: () => number;
}

/** A device request (CV 1–3) whose signature and structure have been checked. */
export interface DeviceRequestInput {
  readonly endpoint: DuisEndpoint;
  readonly requestId: string;
  readonly id: ParsedRequestId;
  readonly variant: ServiceRequestVariant;
  readonly body: XmlNode;
}

/**
 * Device service requests through the `deviceHandlers` table: the target must be in the SMI and its handler
 * must accept the request; then I99 now and the device's signed response later — GBCS from the device's own
 * keys, or the MMC form when the connection asked for Parse & Correlate. Throws `Refusal` with the DUIS code.
 */
export function createDeviceRequestDispatch(deps: DeviceDispatchDeps): (input: DeviceRequestInput) => string {
  const { premises, faults } = deps;
  return ({ endpoint, requestId, id, variant, body }) => {
    const target = id.targetId;
    if (!premises.smi.has(target)) throw new Refusal('E19', `device ${target} is not in the SMI`);
    const handler = deviceHandlers[variant];
    if (!handler) throw new Refusal('E11', `${variant} is not simulated for devices`);
    const request = { variant, body, target, counter: id.counter };
    handler.check(request, premises);
    deps.accepted.push({ requestId, variant, endpoint, code: 'I99' });
    const answer = handler.answer(request, premises);
    if (!faults.dropResponses) {
      // What the trainer set when the request arrived decides how its response goes wrong.
      const asyncCode = faults.asyncErrorCode;
      const badly = faults.badSignature;
      const format = deps.payloadFormat();
      const gbcsFault = faults.gbcs;
      deps.later(requestId, () => {
        const payload = asyncCode
          ? {}
          : format === 'mmc'
            ? {
                mmcXml: buildMmcResponse({
                  originatorId: target,
                  targetId: id.userId,
                  originatorCounter: id.counter,
                  serviceReference: serviceRequestDefinition(variant).serviceReference,
                  serviceReferenceVariant: variant,
                  timestamp: new Date(deps.now()),
                  data: answer.mmc,
                }),
              }
            : {
                gbcs: deps.gbcsResponse({
                  answer: answer.gbcs,
                  deviceId: target,
                  deviceType: premises.typeOf.get(target) ?? '',
                  requestCounter: id.counter,
                  fault: gbcsFault,
                }),
              };
        const fields = { requestId, responseId: `${target}:${id.userId}:${id.counter}`, code: asyncCode ?? 'I0', variant, ...payload };
        return badly ? deps.responder.respondWithWrongKey(fields) : deps.responder.respond(fields);
      });
    }
    return deps.responder.respond({ requestId, code: 'I99', variant });
  };
}
