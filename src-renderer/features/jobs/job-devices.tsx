import { useState } from 'react';
import type { JobDeviceView, JobView, RemovedDeviceView } from '../../../src-shared/ipc/channels/jobs';
import { DEVICE_CHANGE_REASONS, type DeviceChangeReason } from '../../../src-shared/model/device-identity';
import { DEVICE_TYPES, type DeviceType } from '../../../src-shared/model/job';
import { Field } from '../../components/field';
import { toEngineerError, type EngineerError } from '../../errors/engineer-errors';
import { formatDateTime } from '../../i18n/format';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { invoke } from '../../ipc';

const reasonText = (reason: DeviceChangeReason): string => t(`device.reason.${reason}` as MessageKey);

function identity(device: JobDeviceView): string {
  const m = device.mbus;
  if (m) return t('device.mbusIdentity', { manufacturer: m.manufacturer, id: m.id, medium: m.medium, version: String(m.version) });
  return device.label ?? '';
}

/** Correct (mistyped …) or remove (wrong device fitted, returned …) one device, always with a reason. */
function DeviceChangeForm(props: { jobId: string; device: JobDeviceView; mode: 'correct' | 'remove'; onDone(): void }): React.JSX.Element {
  const { device, mode } = props;
  const [reason, setReason] = useState<DeviceChangeReason>(mode === 'correct' ? 'mistyped' : 'wrong-device-fitted');
  const [note, setNote] = useState('');
  const [eui64, setEui64] = useState(device.eui64 ?? '');
  const [installCode, setInstallCode] = useState('');
  const [type, setType] = useState<DeviceType>(device.type);
  const [error, setError] = useState<EngineerError>();
  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    const common = { id: props.jobId, deviceId: device.id, ...(note.trim() ? { note: note.trim() } : {}) };
    const args =
      mode === 'remove'
        ? { ...common, reasonCode: reason }
        : {
            ...common,
            reason,
            ...(type !== device.type ? { type } : {}),
            ...(eui64.trim() && eui64.trim() !== device.eui64 ? { eui64: eui64.trim() } : {}),
            ...(installCode.trim() ? { installCode: installCode.trim() } : {}),
          };
    const result = mode === 'remove' ? await invoke('jobs:removeDevice', args as never) : await invoke('jobs:correctDevice', args as never);
    if (result.ok) props.onDone();
    else setError(toEngineerError(result.error, args));
  };
  const prefix = `change-${device.id}`;
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t(mode === 'remove' ? 'device.removeTitle' : 'device.correctTitle', { id: device.id })}>
      <div className="row">
        <Field id={`${prefix}-reason`} label={t('device.reason')} error={error?.fields.reason ?? error?.fields.reasonCode}>
          {(control) => (
            <select {...control} value={reason} onChange={(e) => setReason(e.target.value as DeviceChangeReason)}>
              {DEVICE_CHANGE_REASONS.map((r) => (
                <option key={r} value={r}>
                  {reasonText(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {mode === 'correct' ? (
          <>
            <Field id={`${prefix}-type`} label={t('jobs.device.type')} error={error?.fields.type}>
              {(control) => (
                <select {...control} value={type} onChange={(e) => setType(e.target.value as DeviceType)}>
                  {DEVICE_TYPES.map((name) => (
                    <option key={name}>{name}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field id={`${prefix}-eui64`} label={t('jobs.device.eui64')} error={error?.fields.eui64}>
              {(control) => <input {...control} className="mono" value={eui64} onChange={(e) => setEui64(e.target.value)} />}
            </Field>
            <Field id={`${prefix}-code`} label={t('device.newInstallCode')} error={error?.fields.installCode}>
              {(control) => <input {...control} className="mono" autoComplete="off" value={installCode} onChange={(e) => setInstallCode(e.target.value)} />}
            </Field>
          </>
        ) : null}
        <Field id={`${prefix}-note`} label={t('device.note')} error={error?.fields.note}>
          {(control) => <input {...control} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
      </div>
      {error && Object.keys(error.fields).length === 0 ? (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary">
          {t(mode === 'remove' ? 'device.remove' : 'device.saveCorrection')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function RemovedRow({ device }: { device: RemovedDeviceView }): React.JSX.Element {
  const why = [device.removal.reasonCode ? reasonText(device.removal.reasonCode) : undefined, device.removal.reason].filter(Boolean).join(' — ');
  return (
    <tr className="removed" data-testid={`job-device-removed-${device.id}`}>
      <td>{device.type}</td>
      <td className="mono">{device.eui64 ?? t('common.none')}</td>
      <td>{identity(device)}</td>
      <td>{device.hasInstallCode ? '••••' : t('common.none')}</td>
      <td>{t('device.status.removed')}</td>
      <td className="removal-reason">{t('device.removedBecause', { why, engineer: device.removal.engineer, time: formatDateTime(device.removal.time) })}</td>
    </tr>
  );
}

/** The job's devices — current ones with their actions, removed ones struck through with why. */
export function JobDevices({ job }: { job: JobView }): React.JSX.Element {
  const [changing, setChanging] = useState<{ id: string; mode: 'correct' | 'remove' }>();
  if (job.devices.length === 0 && job.removedDevices.length === 0) return <p>{t('jobs.detail.noDevices')}</p>;
  return (
    <table aria-label={t('jobs.detail.devices')} data-testid="job-devices">
      <thead>
        <tr>
          <th scope="col">{t('jobs.device.type')}</th>
          <th scope="col">{t('jobs.device.eui64')}</th>
          <th scope="col">{t('device.identity')}</th>
          <th scope="col">{t('jobs.device.installCode')}</th>
          <th scope="col">{t('jobs.device.status')}</th>
          <th scope="col">{t('han.log.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {job.devices.map((device) => (
          <DeviceRows
            key={device.id}
            jobId={job.summary.id}
            device={device}
            changing={changing?.id === device.id ? changing.mode : undefined}
            onChange={(mode) => setChanging(mode ? { id: device.id, mode } : undefined)}
          />
        ))}
        {job.removedDevices.map((device) => (
          <RemovedRow key={`removed-${device.id}-${device.removal.seq}`} device={device} />
        ))}
      </tbody>
    </table>
  );
}

function DeviceRows(props: {
  jobId: string;
  device: JobDeviceView;
  changing: 'correct' | 'remove' | undefined;
  onChange(mode: 'correct' | 'remove' | undefined): void;
}): React.JSX.Element {
  const { device } = props;
  const name = `${device.type} ${device.eui64 ?? device.id}`;
  return (
    <>
      <tr data-testid={`job-device-${device.id}`}>
        <td>{device.type}</td>
        <td className="mono">{device.eui64 ?? t('common.none')}</td>
        <td>
          {identity(device)}
          {device.correction ? <div className="hint">{t('device.corrected', { why: reasonText(device.correction.reason) })}</div> : null}
        </td>
        <td>{device.hasInstallCode ? '••••' : t('common.none')}</td>
        <td>{t(`device.status.${device.status}` as MessageKey)}</td>
        <td>
          <div className="row">
            <button type="button" onClick={() => props.onChange('correct')} aria-label={t('device.correctLabel', { name })}>
              {t('device.correct')}
            </button>
            <button type="button" onClick={() => props.onChange('remove')} aria-label={t('device.removeLabel', { name })}>
              {t('device.remove')}
            </button>
          </div>
        </td>
      </tr>
      {props.changing ? (
        <tr>
          <td colSpan={6}>
            <DeviceChangeForm jobId={props.jobId} device={device} mode={props.changing} onDone={() => props.onChange(undefined)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
