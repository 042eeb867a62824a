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
  clientCertPem: 'dcc.connect.clientCertPem',
  clientKeyPem: 'dcc.connect.clientKeyPem',
  listenerHost: 'dcc.connect.listenerHost',
  listenerPort: 'dcc.connect.listenerPort',
};

/**
 * Says which fields to fix by their labels, not the contract's field names. The problem of each comes from the
 * validator's "field: problem; field: problem" sentence; other errors (a key not matching its certificate) pass as they are.
 */
export function describeConnectionError(error: AppErrorData): string {
  if (error.code !== 'INVALID_ARGUMENT' || !error.fields?.length) return error.message;
  const parts = error.fields.map((field) => {
    const key = CONNECTION_FIELD_LABELS[field];
    const label = key ? t(key) : field;
    const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const problem = new RegExp(`(?:^|[:;] )${escaped}: ([^;]+)`).exec(error.message)?.[1]?.trim();
    return problem ? t('dcc.connect.fieldProblem', { field: label, problem }) : label;
  });
  return t('dcc.connect.invalid', { fields: parts.join('; ') });
}
