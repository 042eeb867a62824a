import { certificateSerialDecimal, testDccCredentials, testUserCredentials } from '../credentials';
import { buildDuisResponse, type WanMatrix } from '../duis-response';
import { serviceRequestDefinition, type ServiceRequestVariant } from '../service-requests';
import { signDuisXml } from '../xmldsig';

/** What one DUIS response from the simulator says: a synchronous reply, or an asynchronous device response. */
export interface SimulatorResponseFields {
  readonly requestId?: string;
  readonly code: string;
  readonly variant?: ServiceRequestVariant;
  readonly mmcXml?: string;
  readonly gbcs?: Uint8Array;
  readonly responseId?: string;
  readonly wanMatrix?: WanMatrix & { requestXml: string };
  readonly preCommand?: { gbcsVersion: string; gbcs: Uint8Array };
}

/** Builds and signs the simulator's DUIS responses. */
export interface DuisResponder {
  /** Signed with the DCC's key, as every genuine response is. */
  respond(fields: SimulatorResponseFields): string;
  /**
   * The training fault "bad signature": signed with a valid key that is not the DCC's, yet naming the DCC's
   * certificate serial, so only the signature check itself can catch it.
   */
  respondWithWrongKey(fields: SimulatorResponseFields): string;
}

export function createDuisResponder(now: () => number): DuisResponder {
  const dcc = testDccCredentials();
  const impostor = testUserCredentials();
  const build = (fields: SimulatorResponseFields): string => {
    const definition = fields.variant ? serviceRequestDefinition(fields.variant) : undefined;
    return buildDuisResponse({
      ...(fields.requestId ? { requestId: fields.requestId } : {}),
      ...(fields.responseId ? { responseId: fields.responseId } : {}),
      responseCode: fields.code,
      responseDateTime: new Date(now()),
      ...(definition ? { serviceReference: definition.serviceReference, serviceReferenceVariant: definition.variant } : {}),
      ...(fields.mmcXml ? { mmcXml: fields.mmcXml } : {}),
      ...(fields.gbcs ? { gbcs: fields.gbcs } : {}),
      ...(fields.wanMatrix ? { wanMatrix: fields.wanMatrix } : {}),
      ...(fields.preCommand ? { preCommand: fields.preCommand } : {}),
    });
  };
  return {
    respond: (fields) => signDuisXml(build(fields), dcc),
    respondWithWrongKey: (fields) =>
      signDuisXml(build(fields), impostor).replace(/(<ds:X509SerialNumber>)\d+/, `$1${certificateSerialDecimal(dcc.certificate)}`),
  };
}
