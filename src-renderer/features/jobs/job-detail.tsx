import { useState } from 'react';
import type { JobView } from '../../../src-shared/ipc/channels/jobs';
import { DEVICE_TYPES, type DeviceType } from '../../../src-shared/model/job';
import { t } from '../../i18n/i18n';
import { invoke } from '../../ipc';
import { JobForm } from './job-form';

function AddDeviceForm({ jobId }: { jobId: string }): React.JSX.Element {
  const [type, setType] = useState<DeviceType>('ESME');
  const [eui64, setEui64] = useState('');
  const [installCode, setInstallCode] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    const result = await invoke('jobs:addDevice', {
      id: jobId,
      device: { type, ...(eui64.trim() ? { eui64: eui64.trim() } : {}), ...(installCode.trim() ? { installCode: installCode.trim() } : {}) },
    });
    if (result.ok) {
      setEui64('');
      setInstallCode('');
      setError(undefined);
    } else setError(result.error.message);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="add-device-title">
      <h3 id="add-device-title">{t('jobs.detail.addDevice')}</h3>
      <div className="row">
        <div className="field">
          <label htmlFor="device-type">{t('jobs.device.type')}</label>
          <select id="device-type" value={type} onChange={(e) => setType(e.target.value as DeviceType)}>
            {DEVICE_TYPES.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="device-eui64">{t('jobs.device.eui64')}</label>
          <input id="device-eui64" className="mono" value={eui64} onChange={(e) => setEui64(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="device-install-code">{t('jobs.device.installCode')}</label>
          <input id="device-install-code" className="mono" autoComplete="off" value={installCode} onChange={(e) => setInstallCode(e.target.value)} />
        </div>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit">{t('jobs.detail.addDevice')}</button>
    </form>
  );
}

export function JobDetail({ job, onClose }: { job: JobView; onClose(): void }): React.JSX.Element {
  const [editing, setEditing] = useState(false);
  const { premises, summary, integrity } = job;
  if (editing) {
    const initial = {
      line1: premises.address.line1,
      town: premises.address.town,
      postcode: premises.address.postcode,
      mpan: premises.mpan ?? '',
      mprn: premises.mprn ?? '',
      engineer: premises.engineer ?? '',
      notes: premises.notes ?? '',
    };
    return <JobForm jobId={summary.id} initial={initial} onDone={() => setEditing(false)} />;
  }
  return (
    <section aria-labelledby="job-title">
      <div className="row">
        <h2 id="job-title">
          {summary.workOrderReference ?? summary.id} — {summary.address}, {summary.postcode}
        </h2>
        <button type="button" onClick={() => setEditing(true)}>
          {t('jobs.edit')}
        </button>
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <p className={integrity.ok ? 'status-ok' : 'status-bad'} data-testid="job-integrity">
        {integrity.ok
          ? t('jobs.detail.chainOk', { count: integrity.events })
          : t('jobs.detail.chainBroken', { seq: integrity.brokenSeq ?? 0, reason: integrity.reason ?? '' })}
      </p>
      <dl className="card">
        <dt>{t('jobs.col.mpan')}</dt>
        <dd className="mono">{premises.mpan ?? t('common.none')}</dd>
        <dt>{t('jobs.col.mprn')}</dt>
        <dd className="mono">{premises.mprn ?? t('common.none')}</dd>
        <dt>{t('jobs.col.engineer')}</dt>
        <dd>{premises.engineer ?? t('common.none')}</dd>
      </dl>
      <h3>{t('jobs.detail.devices')}</h3>
      {job.devices.length === 0 ? (
        <p>{t('jobs.detail.noDevices')}</p>
      ) : (
        <table aria-label={t('jobs.detail.devices')}>
          <thead>
            <tr>
              <th scope="col">{t('jobs.device.type')}</th>
              <th scope="col">{t('jobs.device.eui64')}</th>
              <th scope="col">{t('jobs.device.installCode')}</th>
              <th scope="col">{t('jobs.device.status')}</th>
            </tr>
          </thead>
          <tbody>
            {job.devices.map((device) => (
              <tr key={device.id}>
                <td>{device.type}</td>
                <td className="mono">{device.eui64 ?? t('common.none')}</td>
                <td>{device.hasInstallCode ? '••••' : t('common.none')}</td>
                <td>{device.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddDeviceForm jobId={summary.id} />
      <h3>{t('jobs.detail.timeline')}</h3>
      <ol className="timeline">
        {job.timeline.map((entry) => (
          <li key={entry.seq}>
            <strong>{entry.kind}</strong> · {new Date(entry.time).toLocaleString()} · {entry.engineer}
            <div className="mono hint">{entry.details}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}
