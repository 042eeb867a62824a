import type { GbcsFault } from './gbcs-responder';

/** What the simulator can be told to do wrong. Change fields at any time; they apply to the next request. */
export interface DccFaults {
  /** Synchronous reply delay (a slow DCC). */
  slowMs: number;
  /** Answer device and non-device requests with this code instead of I99/I0 (e.g. 'E20'). */
  errorCode?: string;
  /** Send asynchronous responses with this code instead of I0. */
  asyncErrorCode?: string;
  /** Sign asynchronous responses with a key that is not the DCC's. */
  badSignature: boolean;
  /** Added to the ESME register in 4.1.1 answers (a meter that reads wrong end to end). */
  wrongValueWh: number;
  /** Acknowledge with I99 but never send the device response. */
  dropResponses: boolean;
  /** GBCS training fault on device responses: a bad MAC or signature, an undecryptable payload, an unknown device. */
  gbcs: GbcsFault;
}

export const noFaults = (): DccFaults => ({ slowMs: 0, badSignature: false, wrongValueWh: 0, dropResponses: false, gbcs: 'none' });

/**
 * What goes in `sr:GBCSPayload`: GBCS bytes as a DCC Boxed sends them (default), or the MMC XML that DCC's
 * Parse & Correlate would produce (the per-connection option for Users who run it).
 */
export type SimulatorPayloadFormat = 'gbcs' | 'mmc';
