import type { AppErrorData } from '../../../src-shared/ipc/result';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';

/** The connection form's fields, as the engineer sees them labelled. */
export const CONNECTION_FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  baseUrl: 'dcc.connect.baseUrl',
  userId: 'dcc.connect.userId',
  caPem: 'dcc.connect.caPem',
  userCertificatePem: 'dcc.connect.userCertificatePem',
  userPrivateKeyPem: 'dcc.connect.userPrivateKeyPem',
  userKeyAgreementKeyPem: 'dcc.connect.userKeyAgreementKeyPem',
  smkiUrl: 'dcc.connect.smkiUrl',
  smkiDeviceCaPem: 'dcc.connect.smkiDeviceCaPem',
  userDigitalSigningKeyPem: 'dcc.connect.userDigitalSigningKeyPem',
  clientCertPem: 'dcc.connect.clientCertPem',
  clientKeyPem: 'dcc.connect.clientKeyPem',
  listenerHost: 'dcc.connect.listenerHost',
  listenerPort: 'dcc.connect.listenerPort',
};

/** The validator's problem with one field, from its "field: problem; field: problem" sentence. */
function fieldProblem(message: string, field: string): string | undefined {
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[:;] )${escaped}: ([^;]+)`).exec(message)?.[1]?.trim();
}

/**
 * What to show beside each field the error is about: the validator's problem for that field, or the whole
 * message when main refused the setting itself (a signing key on the wrong curve).
 */
export function connectionFieldErrors(error: AppErrorData): Readonly<Record<string, string>> {
  // Beside the field, main's reason alone: "not saved" is said once, under the Save button.
  const reason = error.message.replace(/^the DCC connection was not saved: /i, '');
  const sentence = reason.charAt(0).toUpperCase() + reason.slice(1);
  return Object.fromEntries(
    (error.fields ?? []).map((field) => [field, (error.code === 'INVALID_ARGUMENT' ? fieldProblem(error.message, field) : undefined) ?? sentence]),
  );
}

/**
 * Says which fields to fix by their labels, not the contract's field names. The problem of each comes from the
 * validator's "field: problem; field: problem" sentence; other errors (a key not matching its certificate) pass as they are.
 */
export function describeConnectionError(error: AppErrorData): string {
  if (error.code !== 'INVALID_ARGUMENT' || !error.fields?.length) return error.message;
  const parts = error.fields.map((field) => {
    const key = CONNECTION_FIELD_LABELS[field];
    const label = key ? t(key) : field;
    const problem = fieldProblem(error.message, field);
    return problem ? t('dcc.connect.fieldProblem', { field: label, problem }) : label;
  });
  return t('dcc.connect.invalid', { fields: parts.join('; ') });
}
