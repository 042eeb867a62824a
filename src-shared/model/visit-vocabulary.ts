/**
 * The words of an install visit, shared by the visit's events (model/visit-events.ts), its workflow
 * (flows/install-visit) and the install report. Enumerations copied from DUIS Schema V5.1 keep their exact
 * spelling, because the same strings go into 8.14.x requests and onto the report an auditor compares with DCC.
 */

/** Live Comms Hub = a real SMETS2 install through the DCC; own network = our coordinator (bench, lab, training). */
export const VISIT_ROUTES = ['live-comms-hub', 'own-network'] as const;
export type VisitRoute = (typeof VISIT_ROUTES)[number];

/**
 * Every step a visit can have. Per-device steps (whitelist … first-read, join-service, interview, read) carry
 * the job device id beside the step in events; the others are once per visit.
 */
export const VISIT_STEP_KINDS = [
  // live Comms Hub route
  'arrival',
  'remove-meters',
  'fit-comms-hub',
  'whitelist',
  'await-join',
  'commission',
  'first-read',
  'join-service',
  'device-log-check',
  'ihd-pairing-check',
  'rf-survey',
  // own-network route
  'form-network',
  'device-log',
  'join',
  'interview',
  'read',
  'pair-ihd',
  'mbus-meters',
  // both
  'verification',
  'completion',
] as const;
export type VisitStepKind = (typeof VISIT_STEP_KINDS)[number];

/** How a visit ended. Install-and-leave: no SM WAN (8.14.2). Commissioned-pending: an 8.1.1/8.7.1 is still owed. */
export const VISIT_OUTCOMES = ['completed', 'install-and-leave', 'commissioned-pending', 'aborted'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

/** Abort reasons as a MOP reports them (domain reference §12), plus the site reasons every installer meets. */
export const ABORT_REASONS = [
  'SMETS meter type not available',
  'Unable to establish HAN – meter not installed',
  'Unable to establish WAN – meter not installed',
  'Customer abort',
  'Supplier abort',
  'No access to the meter position',
  'Unsafe site',
  'Other',
] as const;
export type AbortReason = (typeof ABORT_REASONS)[number];

/** DUIS CHFFaultReason (SR 8.14.3 CH Status Update – Fault Return), exact schema spelling. */
export const CHF_FAULT_REASONS = [
  'Damaged case',
  'Damaged Connector',
  'Illegal interference or missing seals',
  'Environmental conditions exceeded',
  'SM WAN Fault',
  'SMHAN Interface Fault',
  'LED Fault',
  'Aerial fault',
  'Manufacturing defect',
] as const;
export type ChfFaultReason = (typeof CHF_FAULT_REASONS)[number];

/** DUIS CHFFaultReturnType: whether the hub was faulty before it was fitted or failed afterwards. */
export const CHF_FAULT_RETURN_TYPES = ['Fault identified prior to installation', 'Fault identified post installation'] as const;

/** DUIS CHFConnectionMethod: how the hub is attached to the ESME. */
export const CHF_CONNECTION_METHODS = ['Hot-shoe', 'Cradle', 'ESME'] as const;
/** DUIS CHFLocation. */
export const CHF_LOCATIONS = ['Outside Premises', 'Indoors on external wall', 'Deep indoors', 'Basement or Cellar'] as const;
/** DUIS PremiseType. */
export const PREMISE_TYPES = ['Detached / Semi Detached', 'Terraced', 'Low Rise Apartment (MDU <= 5 floors)', 'High Rise Apartment (MDU > 5 floors)'] as const;

/** Join failure reasons a CHF reports (MMC V5.4 enumerations, domain reference §8); "other" for anything else. */
export const JOIN_FAILURE_REASONS = [
  'keyAgreementNoResources',
  'keyAgreementUnknownIssuer',
  'keyAgreementUnsupportedSuite',
  'keyAgreementBadMessage',
  'keyAgreementBadKeyConfirm',
  'invalidOrMissingCertificate',
  'noCBKEResponse',
  'noPartnerLinkKeyReceived',
  'trustAnchorNotFound',
  'deviceLogFull',
  'incompatibleWithExistingEntry',
  'otherDeviceNotInDeviceLog',
  'writeFailure',
  'other',
] as const;

/** How a removed meter's final reading was taken. */
export const READ_METHODS = ['display', 'han', 'optical'] as const;

/** Why a step was skipped, as a code the report can group by; the free-text reason always goes with it. */
export const SKIP_REASON_CODES = ['not-applicable', 'not-supported', 'unattended-run', 'engineer-decision', 'no-existing-meter', 'device-not-fitted'] as const;
export type SkipReasonCode = (typeof SKIP_REASON_CODES)[number];

/** The reason recorded for steps needing a person's judgement when `hantool install run` runs unattended. */
export const UNATTENDED_RUN_REASON = 'unattended run';
