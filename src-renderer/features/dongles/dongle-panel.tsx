import { useState } from 'react';
import type { DongleInfo } from '../../../src-shared/model/dongle';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { invoke } from '../../ipc';
import { useApp } from '../../stores/app-store';
import { useDongles } from '../../stores/dongles-store';

function DongleItem({ dongle }: { dongle: DongleInfo }): React.JSX.Element {
  const notify = useApp((s) => s.notify);
  const [probing, setProbing] = useState(false);
  const probe = async (): Promise<void> => {
    setProbing(true);
    const result = await invoke('dongles:probe', { id: dongle.id });
    setProbing(false);
    if (result.ok) notify('info', `${dongle.path}: ${t('dongles.probeResult', { identified: result.value.identified ?? 'none' })}`);
    else notify('error', result.error.message);
  };
  const { classification } = dongle;
  return (
    <li className="dongle" data-testid="dongle">
      <div>
        <strong>{classification.label}</strong>
      </div>
      <div className="dongle-path">{dongle.path}</div>
      <div>
        <span className="badge">{t(`dongles.kind.${classification.kind}` as MessageKey)}</span>
        <span className="badge">{t(`dongles.certainty.${classification.certainty}` as MessageKey)}</span>
        {dongle.source === 'emulated' ? <span className="badge">{t('dongles.emulated')}</span> : null}
        {dongle.inUse ? <span className="badge">{t('dongles.inUse')}</span> : null}
      </div>
      {classification.certainty === 'possible' && dongle.source === 'serial' && !dongle.inUse ? (
        <button type="button" onClick={() => void probe()} disabled={probing} aria-label={`${t('dongles.probe')} ${dongle.path}`}>
          {t('dongles.probe')}
        </button>
      ) : null}
    </li>
  );
}

function AddTcpAdapter(): React.JSX.Element {
  const notify = useApp((s) => s.notify);
  const [address, setAddress] = useState('');
  const [kind, setKind] = useState<'zigbee-coordinator' | 'wmbus-stick' | 'mbus-converter'>('zigbee-coordinator');
  const [error, setError] = useState<string>();
  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    const result = await invoke('dongles:addTcp', { address, kind });
    if (result.ok) {
      setAddress('');
      setError(undefined);
      notify('info', result.value.classification.label);
    } else setError(result.error.message);
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <h3>{t('dongles.addTcp')}</h3>
      <div className="field">
        <label htmlFor="tcp-address">{t('dongles.tcpAddress')}</label>
        <input
          id="tcp-address"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'tcp-error' : undefined}
        />
        {error ? (
          <div id="tcp-error" className="field-error" role="alert">
            {error}
          </div>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="tcp-kind">{t('dongles.tcpKind')}</label>
        <select id="tcp-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="zigbee-coordinator">{t('dongles.kind.zigbee-coordinator')}</option>
          <option value="wmbus-stick">{t('dongles.kind.wmbus-stick')}</option>
          <option value="mbus-converter">{t('dongles.kind.mbus-converter')}</option>
        </select>
      </div>
      <button type="submit">{t('dongles.addTcp')}</button>
    </form>
  );
}

/** Live list of dongles: fed by `dongles:changed` events, so plugging one in shows up without a refresh. */
export function DonglePanel(): React.JSX.Element {
  const { dongles, hid, trainingPremises, error } = useDongles();
  return (
    <aside className="dongle-panel" aria-labelledby="dongles-title">
      <h2 id="dongles-title">{t('dongles.title')}</h2>
      <p aria-live="polite">{t('dongles.count', { count: dongles.length })}</p>
      {trainingPremises ? <p className="hint">{t('dongles.training')}</p> : null}
      {hid && !hid.available ? <p className="warning-text">{t('dongles.hidUnavailable', { reason: hid.reason ?? '' })}</p> : null}
      {error ? <p className="field-error">{error}</p> : null}
      <ul className="dongle-list">
        {dongles.map((dongle) => (
          <DongleItem key={dongle.id} dongle={dongle} />
        ))}
      </ul>
      <AddTcpAdapter />
    </aside>
  );
}
