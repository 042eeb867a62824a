import { useState } from 'react';
import { t } from '../../i18n/i18n';
import { invoke } from '../../ipc';
import { useDcc } from '../../stores/dcc-store';
import { describeConnectionError } from './connection-error';

const FIELDS = [
  ['caPem', 'dcc.connect.caPem'],
  ['userCertificatePem', 'dcc.connect.userCertificatePem'],
  ['userPrivateKeyPem', 'dcc.connect.userPrivateKeyPem'],
  ['userKeyAgreementKeyPem', 'dcc.connect.userKeyAgreementKeyPem'],
  ['clientCertPem', 'dcc.connect.clientCertPem'],
  ['clientKeyPem', 'dcc.connect.clientKeyPem'],
] as const;

/** Loopback: only this computer can reach the listener (the safe default on a field laptop). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** DCC Boxed / test-lab connection. Keys are sent once to main, which seals them; they are never shown again. */
export function DccConnectionForm(props: { direct: boolean }): React.JSX.Element {
  const refresh = useDcc((s) => s.refresh);
  const [baseUrl, setBaseUrl] = useState('');
  const [userId, setUserId] = useState('');
  const [pems, setPems] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [invalid, setInvalid] = useState<readonly string[]>([]);
  const [listenerHost, setListenerHost] = useState('127.0.0.1');
  const [listenerPort, setListenerPort] = useState('0');
  const exposed = !isLoopback(listenerHost);

  const save = async (): Promise<void> => {
    const optional = Object.fromEntries(Object.entries(pems).filter(([, v]) => v.trim() !== ''));
    const listener = { listenerHost, listenerPort: Number(listenerPort) };
    const result = await invoke('dcc:configure', { baseUrl, userId, userCertificatePem: '', userPrivateKeyPem: '', ...optional, ...listener });
    setMessage(result.ok ? { ok: true, text: t('dcc.connect.saved') } : { ok: false, text: describeConnectionError(result.error) });
    setInvalid(result.ok ? [] : (result.error.fields ?? []));
    if (result.ok) setPems({});
    void refresh();
  };
  const forget = async (): Promise<void> => {
    const result = await invoke('dcc:forget');
    setMessage(result.ok ? { ok: true, text: t('dcc.connect.forgotten') } : { ok: false, text: result.error.message });
    void refresh();
  };

  return (
    <details className="card">
      <summary>{t('dcc.connect.title')}</summary>
      <p className="hint">{t('dcc.connect.intro')}</p>
      <div className="field">
        <label htmlFor="dcc-base-url">{t('dcc.connect.baseUrl')}</label>
        <input
          id="dcc-base-url"
          aria-invalid={invalid.includes('baseUrl') || undefined}
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value.trim())}
          placeholder="https://dcc-boxed.example:8079/api/v1"
        />
      </div>
      <div className="field">
        <label htmlFor="dcc-user-id">{t('dcc.connect.userId')}</label>
        <input id="dcc-user-id" aria-invalid={invalid.includes('userId') || undefined} value={userId} onChange={(e) => setUserId(e.target.value.trim())} />
      </div>
      {FIELDS.map(([name, label]) => (
        <div className="field" key={name}>
          <label htmlFor={`dcc-${name}`}>{t(label)}</label>
          <textarea
            id={`dcc-${name}`}
            aria-invalid={invalid.includes(name) || undefined}
            rows={3}
            spellCheck={false}
            autoComplete="off"
            value={pems[name] ?? ''}
            onChange={(e) => setPems({ ...pems, [name]: e.target.value })}
          />
        </div>
      ))}
      <div className="field">
        <label htmlFor="dcc-listener-host">{t('dcc.connect.listenerHost')}</label>
        <input
          id="dcc-listener-host"
          aria-invalid={invalid.includes('listenerHost') || undefined}
          aria-describedby={exposed ? 'dcc-listener-exposed' : undefined}
          value={listenerHost}
          onChange={(e) => setListenerHost(e.target.value.trim())}
        />
        {exposed ? (
          <p id="dcc-listener-exposed" className="warning-text" role="note">
            {t('dcc.connect.listenerExposed')}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="dcc-listener-port">{t('dcc.connect.listenerPort')}</label>
        <input
          id="dcc-listener-port"
          inputMode="numeric"
          aria-invalid={invalid.includes('listenerPort') || undefined}
          value={listenerPort}
          onChange={(e) => setListenerPort(e.target.value.trim())}
        />
      </div>
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
        <p className={message.ok ? 'status-ok' : 'status-bad'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
    </details>
  );
}
