import { useState } from 'react';
import type { JobView } from '../../../src-shared/ipc/channels/jobs';
import { DEVICE_TYPES, type DeviceType } from '../../../src-shared/model/job';
import { Field } from '../../components/field';
import { toEngineerError, type EngineerError } from '../../errors/engineer-errors';
import { formatDateTime } from '../../i18n/format';
import { t } from '../../i18n/i18n';
import { invoke } from '../../ipc';
import { useEngineer } from './engineer-banner';
import { JobDevices } from './job-devices';
import { JobForm } from './job-form';

/** Adding a device by hand: its EUI-64 is typed or read from the scanned label; a label for another device is refused. */
function AddDeviceForm({ jobId }: { jobId: string }): React.JSX.Element {
  const [type, setType] = useState<DeviceType>('ESME');
  const [eui64, setEui64] = useState('');
  const [installCode, setInstallCode] = useState('');
  const [error, setError] = useState<EngineerError>();
  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    const args = {
      id: jobId,
      device: {
        type,
        status: 'installed' as const,
        ...(eui64.trim() ? { eui64: eui64.trim() } : {}),
        ...(installCode.trim() ? { installCode: installCode.trim() } : {}),
      },
    };
    const result = await invoke('jobs:addDevice', args);
    if (result.ok) {
      setEui64('');
      setInstallCode('');
      setError(undefined);
    } else setError(toEngineerError(result.error, args));
  };
  const unplaced = error && !error.fields['device.eui64'] && !error.fields['device.installCode'] && !error.fields['device.type'] ? error.message : undefined;
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="add-device-title" noValidate>
      <h3 id="add-device-title">{t('jobs.detail.addDevice')}</h3>
      <div className="row">
        <Field id="device-type" label={t('jobs.device.type')} error={error?.fields['device.type']}>
          {(control) => (
            <select {...control} value={type} onChange={(e) => setType(e.target.value as DeviceType)}>
              {DEVICE_TYPES.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          )}
        </Field>
        <Field id="device-eui64" label={t('jobs.device.eui64')} error={error?.fields['device.eui64']}>
          {(control) => <input {...control} className="mono" value={eui64} onChange={(e) => setEui64(e.target.value)} />}
        </Field>
        <Field id="device-install-code" label={t('jobs.device.installCode')} hint={t('device.codeHint')} error={error?.fields['device.installCode']}>
          {(control) => <input {...control} className="mono" autoComplete="off" value={installCode} onChange={(e) => setInstallCode(e.target.value)} />}
        </Field>
      </div>
      {unplaced ? (
        <p className="field-error" role="alert">
          {unplaced}
        </p>
      ) : null}
      <button type="submit">{t('jobs.detail.addDevice')}</button>
    </form>
  );
}

/** The engineer is one person: a job assigned to, or recorded by, someone else says so. */
function EngineerCheck({ job }: { job: JobView }): React.JSX.Element | null {
  const current = useEngineer((s) => s.engineer?.name);
  const assigned = job.premises.engineer;
  const others = job.recordedBy.filter((name) => name !== assigned);
  if (!assigned && others.length <= 1) return null;
  if (assigned && others.length === 0 && (!current || current === assigned)) return null;
  return (
    <p className="warning-text" role="note" data-testid="job-engineer-check">
      {t('jobs.detail.engineerDiffers', { assigned: assigned ?? t('common.none'), recorded: job.recordedBy.join(', '), current: current ?? '' })}
    </p>
  );
}

function Pairings({ job }: { job: JobView }): React.JSX.Element | null {
  if (job.pairings.length === 0) return null;
  const typeOf = (eui64: string): string => job.devices.find((d) => d.eui64 === eui64)?.type ?? '';
  return (
    <>
      <h3>{t('jobs.detail.pairings')}</h3>
      <ul data-testid="job-pairings">
        {job.pairings.map((p) => (
          <li key={`${p.ihd}-${p.meter}`}>{t('jobs.detail.pairing', { ihd: p.ihd, meter: p.meter, type: p.meterType ?? typeOf(p.meter) })}</li>
        ))}
      </ul>
    </>
  );
}

function Unexpected({ job }: { job: JobView }): React.JSX.Element | null {
  if (job.unexpectedDevices.length === 0) return null;
  return (
    <div className="warning-text" role="note" data-testid="job-unexpected">
      <p>{t('jobs.detail.unexpected')}</p>
      <ul>
        {job.unexpectedDevices.map((u) => (
          <li key={u.eui64}>
            <span className="mono">{u.eui64}</span> {u.deviceType ?? ''} · {formatDateTime(u.time)}
          </li>
        ))}
      </ul>
    </div>
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
      <EngineerCheck job={job} />
      <h3>{t('jobs.detail.devices')}</h3>
      <Unexpected job={job} />
      <JobDevices job={job} />
      <Pairings job={job} />
      <AddDeviceForm jobId={summary.id} />
      <h3>{t('jobs.detail.timeline')}</h3>
      <ol className="timeline">
        {job.timeline.map((entry) => (
          <li key={entry.seq}>
            <strong>{entry.kind}</strong> · <time dateTime={entry.time}>{formatDateTime(entry.time, { offset: true })}</time> · {entry.engineer}
            <div className="mono hint">{entry.details}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}
