import { useState } from 'react';
import { Field } from '../../components/field';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { invoke } from '../../ipc';
import { useDcc } from '../../stores/dcc-store';
import { connectionFieldErrors, describeConnectionError } from './connection-error';

/** The PEM fields in the order an engineer fills them in (hint: where to get it, what happens without it). */
const PEM_FIELDS: readonly (readonly [name: string, label: MessageKey, hint?: MessageKey])[] = [
  ['caPem', 'dcc.connect.caPem'],
  ['userCertificatePem', 'dcc.connect.userCertificatePem'],
  ['userPrivateKeyPem', 'dcc.connect.userPrivateKeyPem'],
  ['userKeyAgreementKeyPem', 'dcc.connect.userKeyAgreementKeyPem'],
  ['userDigitalSigningKeyPem', 'dcc.connect.userDigitalSigningKeyPem', 'dcc.connect.userDigitalSigningKeyPemHint'],
  ['smkiDeviceCaPem', 'dcc.connect.smkiDeviceCaPem', 'dcc.connect.smkiDeviceCaPemHint'],
  ['clientCertPem', 'dcc.connect.clientCertPem'],
  ['clientKeyPem', 'dcc.connect.clientKeyPem'],
];

/** Loopback: only this computer can reach the listener (the safe default on a field laptop). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** DCC Boxed / test-lab connection. Keys are sent once to main, which seals them; they are never shown again. */
export function DccConnectionForm(props: { direct: boolean }): React.JSX.Element {
  const refresh = useDcc((s) => s.refresh);
  const [baseUrl, setBaseUrl] = useState('');
  const [smkiUrl, setSmkiUrl] = useState('');
  const [userId, setUserId] = useState('');
  const [pems, setPems] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [listenerHost, setListenerHost] = useState('127.0.0.1');
  const [listenerPort, setListenerPort] = useState('0');
  const exposed = !isLoopback(listenerHost);

  const save = async (): Promise<void> => {
    const optional = Object.fromEntries(Object.entries(pems).filter(([, v]) => v.trim() !== ''));
    const listener = { listenerHost, listenerPort: Number(listenerPort) };
    const smki = smkiUrl ? { smkiUrl } : {};
    const result = await invoke('dcc:configure', { baseUrl, userId, userCertificatePem: '', userPrivateKeyPem: '', ...smki, ...optional, ...listener });
    setMessage(result.ok ? { ok: true, text: t('dcc.connect.saved') } : { ok: false, text: describeConnectionError(result.error) });
    setErrors(result.ok ? {} : connectionFieldErrors(result.error));
    if (result.ok) setPems({});
    void refresh();
  };
  const forget = async (): Promise<void> => {
    const result = await invoke('dcc:forget');
    setMessage(result.ok ? { ok: true, text: t('dcc.connect.forgotten') } : { ok: false, text: result.error.message });
    void refresh();
  };
  const text = (
    name: string,
    id: string,
    label: MessageKey,
    value: string,
    set: (v: string) => void,
    extra: { hint?: MessageKey; placeholder?: string } = {},
  ) => (
    <Field id={id} label={t(label)} error={errors[name]} hint={extra.hint ? t(extra.hint) : undefined}>
      {(control) => <input {...control} value={value} onChange={(e) => set(e.target.value.trim())} placeholder={extra.placeholder} />}
    </Field>
  );

  return (
    <details className="card">
      <summary>{t('dcc.connect.title')}</summary>
      <p className="hint">{t('dcc.connect.intro')}</p>
      {text('baseUrl', 'dcc-base-url', 'dcc.connect.baseUrl', baseUrl, setBaseUrl, { placeholder: 'https://dcc-boxed.example:8079/api/v1' })}
      {text('smkiUrl', 'dcc-smki-url', 'dcc.connect.smkiUrl', smkiUrl, setSmkiUrl, {
        hint: 'dcc.connect.smkiUrlHint',
        placeholder: 'http://dcc-boxed.example:8083/',
      })}
      {text('userId', 'dcc-user-id', 'dcc.connect.userId', userId, setUserId)}
      {PEM_FIELDS.map(([name, label, hint]) => (
        <Field key={name} id={`dcc-${name}`} label={t(label)} error={errors[name]} hint={hint ? t(hint) : undefined} errorTestId={`dcc-${name}-error`}>
          {(control) => (
            <textarea
              {...control}
              rows={3}
              spellCheck={false}
              autoComplete="off"
              value={pems[name] ?? ''}
              onChange={(e) => setPems({ ...pems, [name]: e.target.value })}
            />
          )}
        </Field>
      ))}
      <Field
        id="dcc-listener-host"
        label={t('dcc.connect.listenerHost')}
        error={errors.listenerHost}
        hint={
          exposed ? (
            <span className="warning-text" role="note">
              {t('dcc.connect.listenerExposed')}
            </span>
          ) : undefined
        }
      >
        {(control) => <input {...control} value={listenerHost} onChange={(e) => setListenerHost(e.target.value.trim())} />}
      </Field>
      <Field id="dcc-listener-port" label={t('dcc.connect.listenerPort')} error={errors.listenerPort}>
        {(control) => <input {...control} inputMode="numeric" value={listenerPort} onChange={(e) => setListenerPort(e.target.value.trim())} />}
      </Field>
      <div className="row">
        <button type="button" onClick={() => void save()}>
          {t('dcc.connect.save')}
        </button>
        {props.direct ? (
          <button type="button" onClick={() => void forget()}>
            {t('dcc.connect.forget')}
          </button>
        ) : null}
      </div>
      {message ? (
        <p className={message.ok ? 'status-ok' : 'status-bad'} role={message.ok ? 'status' : 'alert'} data-testid="dcc-connect-result">
          {message.text}
        </p>
      ) : null}
    </details>
  );
}
