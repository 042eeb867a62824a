import { useState } from 'react';
import { t } from '../../i18n/i18n';
import { invoke } from '../../ipc';
import { useDcc } from '../../stores/dcc-store';
import { describeConnectionError } from './connection-error';

const FIELDS = [
  ['caPem', 'dcc.connect.caPem'],
  ['userCertificatePem', 'dcc.connect.userCertificatePem'],
  ['userPrivateKeyPem', 'dcc.connect.userPrivateKeyPem'],
  ['clientCertPem', 'dcc.connect.clientCertPem'],
  ['clientKeyPem', 'dcc.connect.clientKeyPem'],
] as const;

/** DCC Boxed / test-lab connection. Keys are sent once to main, which seals them; they are never shown again. */
export function DccConnectionForm(props: { direct: boolean }): React.JSX.Element {
  const refresh = useDcc((s) => s.refresh);
  const [baseUrl, setBaseUrl] = useState('');
  const [userId, setUserId] = useState('');
  const [pems, setPems] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [invalid, setInvalid] = useState<readonly string[]>([]);

  const save = async (): Promise<void> => {
    const optional = Object.fromEntries(Object.entries(pems).filter(([, v]) => v.trim() !== ''));
    const result = await invoke('dcc:configure', { baseUrl, userId, userCertificatePem: '', userPrivateKeyPem: '', ...optional });
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
