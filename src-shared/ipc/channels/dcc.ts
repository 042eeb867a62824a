import { z } from 'zod';
import { event, request } from '../define';

/** How the app reaches the DCC, for the DCC screen's settings panel. */
export interface DccStatus {
  /** 'direct': a configured DCC Boxed / test lab; 'training-simulator': the premises' DCC simulator; 'none': no DCC. */
  readonly mode: 'direct' | 'training-simulator' | 'none';
  readonly baseUrl?: string;
  readonly userId?: string;
  readonly dccId?: string;
  /** The public ZAZ1 test PKI is in use: the UI must say so. */
  readonly testCredentials: boolean;
  /** Where the DCC posts asynchronous responses. */
  readonly listenerUrl?: string;
  /** Requests waiting because the DCC was unreachable. */
  readonly queued: number;
  /**
   * Where the key that signs critical requests' pre-commands (8.1.1, 8.7.1) comes from: sealed in the secret store,
   * the public ZAZ1 test PKI, or none (those requests cannot be sent).
   */
  readonly gbcsSigningKey?: 'secret-store' | 'test-pki' | 'none';
  /** Training premises only: what the virtual ESME's display shows now (kWh, one decimal), to type in for display vs DCC. */
  readonly trainingMeterDisplayKWh?: string;
  /**
   * Training premises only: the DCC simulator's endpoint, so it can be configured like a DCC Boxed. Its TLS CA is
   * made at start-up and is a public certificate (no key), shown for pasting into the connection's CA field.
   */
  readonly trainingSimulator?: {
    readonly baseUrl: string;
    readonly caCertPem: string;
    /** The simulator's SMKI interface and the test SMKI Device CA that issued its devices' certificates. */
    readonly smkiUrl?: string;
    readonly smkiDeviceCaPem?: string;
    /** What the simulator puts in GBCSPayload: GBCS as a DCC Boxed sends it, or Parse & Correlate's MMC XML. */
    readonly payloadFormat?: DccPayloadFormat;
    /** The GBCS fault device responses carry now ('none' when they are sound). */
    readonly gbcsFault?: DccGbcsFault;
  };
  /** The saved connection could not start (listener cannot bind, file unreadable …): the rest of the app runs. */
  readonly problem?: string;
  /** The receive-response listener is reachable from other machines (not loopback). */
  readonly listenerWarning?: string;
}

/** Training faults of device responses: a bad MAC or signature, an undecryptable payload, a device SMKI does not know. */
export const DCC_GBCS_FAULTS = ['none', 'bad-mac', 'bad-signature', 'undecryptable', 'unknown-device', 'other-device'] as const;
export type DccGbcsFault = (typeof DCC_GBCS_FAULTS)[number];
export const DCC_PAYLOAD_FORMATS = ['gbcs', 'mmc'] as const;
export type DccPayloadFormat = (typeof DCC_PAYLOAD_FORMATS)[number];

/** The GBCS checks of a device response: verdicts are 'valid' | 'invalid' | 'unknown' | 'absent'. */
export interface DccGbcsView {
  readonly useCase: string | null;
  readonly messageCode: string;
  readonly mac: 'valid' | 'invalid' | 'unknown' | 'absent';
  readonly signature: 'valid' | 'invalid' | 'unknown' | 'absent';
  readonly encrypted: boolean;
  readonly decryption: 'none' | 'decrypted' | 'invalid' | 'unknown' | 'withheld';
  readonly trusted: boolean;
}

/** One row of the DCC request log. */
export interface DccRequestView {
  readonly requestId: string;
  readonly serviceRequest: string;
  readonly name: string;
  readonly state: string;
  readonly responseCode?: string;
  readonly responseMeaning?: string;
  readonly createdAt: string;
  readonly sentAt?: string;
  readonly acknowledgedAt?: string;
  readonly completedAt?: string;
  readonly attempts: number;
  readonly lastError?: string;
  /** A POST is on the wire and its reply not yet processed (after a crash it is not resent). */
  readonly inFlight?: boolean;
  /** Critical requests: on the Transform leg, or the signed pre-command's (with the GBCS use case signed). */
  readonly critical?: { readonly phase: 'transform' | 'signed'; readonly useCase?: string };
  /** The device response's GBCS verdicts (absent for MMC or non-device responses); `unreadable` when not GBCS at all. */
  readonly gbcs?: DccGbcsView | { readonly unreadable: string };
}

export interface ReadingView {
  readonly source: 'han' | 'display' | 'dcc';
  readonly value: number;
  readonly unit: 'Wh' | 'kWh';
  readonly valueWh: number;
  readonly takenAt: string;
  readonly reference?: string;
}

/** The outcome of an end-to-end read check, as recorded in the job. */
export interface VerificationView {
  readonly pass: boolean;
  readonly first: ReadingView;
  readonly second: ReadingView;
  readonly differenceWh: number;
  readonly allowedWh: number;
  readonly elapsedMs: number;
  readonly reason: string;
  readonly checkedAt: string;
}

export const dccVerifyArgs = z
  .object({
    method: z.enum(['han-vs-dcc', 'display-vs-dcc']),
    /** What the engineer read off the meter's display (display-vs-dcc). */
    displayValue: z
      .string()
      .regex(/^\d{1,9}(\.\d{1,3})?$/, 'digits with an optional decimal point')
      .optional(),
    displayUnit: z.enum(['kWh', 'Wh']).default('kWh'),
    /** Record the result in this job's timeline. */
    jobId: z.string().min(1).max(200).optional(),
    /** The engineer saw that the job's MPAN differs from the meter point the reading comes from, and records anyway. */
    confirmMpanMismatch: z.boolean().optional(),
  })
  .strict()
  .refine((a) => a.method !== 'display-vs-dcc' || a.displayValue !== undefined, { message: 'type the value shown on the display', path: ['displayValue'] });

/** Trainer controls of the simulator (training premises only). */
export const dccSimulatorFaultsArgs = z
  .object({
    wrongValueWh: z.number().int().min(-1_000_000_000).max(1_000_000_000).optional(),
    errorCode: z.union([z.string().regex(/^E\d{1,4}$/), z.null()]).optional(),
    badSignature: z.boolean().optional(),
    down: z.boolean().optional(),
    gbcsFault: z.enum(DCC_GBCS_FAULTS).optional(),
    payloadFormat: z.enum(DCC_PAYLOAD_FORMATS).optional(),
  })
  .strict();

const EUI64 = /^([0-9A-Fa-f]{16}|([0-9A-Fa-f]{2}-){7}[0-9A-Fa-f]{2})$/;
const certificatePem = z
  .string()
  .max(20_000)
  .regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate');
const privateKeyPem = z
  .string()
  .max(20_000)
  .regex(/-----BEGIN (EC )?PRIVATE KEY-----/, 'must be a PEM private key');

/** A DCC Boxed / test-lab connection. Keys arrive once as PEM and main seals them in the secret store at once. */
export const dccConnectionInput = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/ }).max(500),
    /** SMKI interface for device certificates; DCC Boxed's (http://<its host>:8083/) when absent. */
    smkiUrl: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional(),
    /**
     * The SMKI Device CA certificate(s) (PEM; an issuing CA, optionally with its root): device certificates fetched
     * from SMKI are accepted only when one of these issued them. Without it none are fetched.
     */
    smkiDeviceCaPem: certificatePem.optional(),
    userId: z.string().regex(EUI64, 'must be an EUI-64'),
    dccId: z.string().regex(EUI64, 'must be an EUI-64').default('90-B3-D5-1F-30-00-00-02'),
    caPem: certificatePem.optional(),
    userCertificatePem: certificatePem,
    userPrivateKeyPem: privateKeyPem,
    /** The User's GBCS key-agreement private key: opens encrypted device responses (4.1.1) and checks MACs. */
    userKeyAgreementKeyPem: privateKeyPem.optional(),
    /** The User's GBCS digital-signing private key: signs the pre-commands of critical requests (8.1.1, 8.7.1). */
    userDigitalSigningKeyPem: privateKeyPem.optional(),
    clientCertPem: certificatePem.optional(),
    clientKeyPem: privateKeyPem.optional(),
    dccCertificatePem: certificatePem.optional(),
    listenerPort: z.number().int().min(0).max(65_535).default(0),
    listenerHost: z.string().max(100).default('127.0.0.1'),
  })
  .strict()
  .refine((c) => (c.clientCertPem === undefined) === (c.clientKeyPem === undefined), {
    message: 'mutual TLS needs both a client certificate and its key',
    path: ['clientKeyPem'],
  });

export const dccRequests = {
  /** Saves a DCC Boxed / test-lab connection (keys sealed) and switches to it. */
  'dcc:configure': request<DccStatus>()(dccConnectionInput),
  /** Forgets the configured connection (back to the training simulator, if running). */
  'dcc:forget': request<DccStatus>()(z.undefined()),
  'dcc:status': request<DccStatus>()(z.undefined()),
  'dcc:requests': request<readonly DccRequestView[]>()(z.undefined()),
  'dcc:verify': request<VerificationView>()(dccVerifyArgs),
  'dcc:retryQueued': request<{ readonly sent: number; readonly stillQueued: number }>()(z.undefined()),
  'dcc:simulatorFaults': request<boolean>()(dccSimulatorFaultsArgs),
};

export const dccEvents = {
  /** A DCC request changed state (queued, acknowledged, completed …). */
  'dcc:request': event<DccRequestView>(),
};
