import { useState } from 'react';
import type { InstallStepView, InstallView } from '../../../src-shared/ipc/channels/install';
import { ABORT_REASONS, CHF_FAULT_REASONS, type AbortReason, type ChfFaultReason } from '../../../src-shared/model/visit-vocabulary';
import { t } from '../../i18n/i18n';
import { useInstall } from '../../stores/install-store';

function FieldError(props: { where: string; id: string }): React.JSX.Element | null {
  const error = useInstall((s) => s.error);
  if (error?.where !== props.where) return null;
  return (
    <p id={props.id} className="field-error" role="alert">
      {error.message}
    </p>
  );
}

/** Skip with a reason: the only way past a step that is not done. */
export function SkipForm(props: { jobId: string; step: InstallStepView }): React.JSX.Element | null {
  const act = useInstall((s) => s.act);
  const [reason, setReason] = useState('');
  if (!props.step.skippable) return <p className="hint">{t('install.skip.notAllowed')}</p>;
  const where = `skip:${props.step.key}`;
  return (
    <form
      className="install-inline"
      onSubmit={(e) => {
        e.preventDefault();
        void act(where, 'install:skip', { jobId: props.jobId, key: props.step.key, reason, reasonCode: 'engineer-decision' }).then((ok) => ok && setReason(''));
      }}
    >
      <div className="field">
        <label htmlFor="install-skip-reason">{t('install.skip.reason')}</label>
        <input id="install-skip-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby="install-skip-error" />
      </div>
      <button type="submit" disabled={reason.trim() === ''} title={reason.trim() === '' ? t('install.skip.needsReason') : undefined}>
        {t('install.skip.button')}
      </button>
      {reason.trim() === '' ? <p className="hint">{t('install.skip.needsReason')}</p> : null}
      <FieldError where={where} id="install-skip-error" />
    </form>
  );
}

/** Record a fault on a step: Comms Hub faults with their 8.14.3 reason, device and site faults in words. */
export function FaultForm(props: { jobId: string; step: InstallStepView }): React.JSX.Element {
  const act = useInstall((s) => s.act);
  const [kind, setKind] = useState<'comms-hub' | 'device' | 'site'>(props.step.kind === 'fit-comms-hub' ? 'comms-hub' : 'device');
  const [reason, setReason] = useState<ChfFaultReason>(CHF_FAULT_REASONS[0]);
  const [text, setText] = useState('');
  const where = `fault:${props.step.key}`;
  return (
    <details className="install-more">
      <summary>{t('install.fault.title')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(where, 'install:fault', {
            jobId: props.jobId,
            key: props.step.key,
            faultKind: kind,
            text,
            ...(kind === 'comms-hub' ? { chfFaultReason: reason } : {}),
          }).then((ok) => ok && setText(''));
        }}
      >
        <div className="field">
          <label htmlFor="install-fault-kind">{t('install.fault.kind')}</label>
          <select id="install-fault-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="comms-hub">{t('install.fault.kind.comms-hub')}</option>
            <option value="device">{t('install.fault.kind.device')}</option>
            <option value="site">{t('install.fault.kind.site')}</option>
          </select>
        </div>
        {kind === 'comms-hub' ? (
          <div className="field">
            <label htmlFor="install-fault-reason">{t('install.fault.chfReason')}</label>
            <select id="install-fault-reason" value={reason} onChange={(e) => setReason(e.target.value as ChfFaultReason)}>
              {CHF_FAULT_REASONS.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="install-fault-text">{t('install.fault.text')}</label>
          <input id="install-fault-text" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit" disabled={text.trim() === ''}>
          {t('install.fault.button')}
        </button>
        <FieldError where={where} id="install-fault-error" />
      </form>
    </details>
  );
}

/** Abort the visit with the industry's reason and the engineer's words. */
export function AbortForm(props: { jobId: string }): React.JSX.Element {
  const act = useInstall((s) => s.act);
  const [reason, setReason] = useState<AbortReason>(ABORT_REASONS[1]);
  const [text, setText] = useState('');
  return (
    <details className="install-more card">
      <summary>{t('install.abort.title')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act('abort', 'install:abort', { jobId: props.jobId, abortReason: reason, reason: text });
        }}
      >
        <div className="field">
          <label htmlFor="install-abort-reason">{t('install.abort.reason')}</label>
          <select id="install-abort-reason" value={reason} onChange={(e) => setReason(e.target.value as AbortReason)}>
            {ABORT_REASONS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="install-abort-text">{t('install.abort.text')}</label>
          <input id="install-abort-text" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit" className="danger" disabled={text.trim() === ''}>
          {t('install.abort.button')}
        </button>
        {text.trim() === '' ? <p className="hint">{t('install.abort.needsText')}</p> : null}
        <FieldError where="abort" id="install-abort-error" />
      </form>
    </details>
  );
}

/** Labels still to scan for the job's devices: a barcode wedge types into the focused field and ends with Enter. */
export function IdentifyDevices(props: { view: InstallView; deviceIds?: readonly string[] }): React.JSX.Element | null {
  const act = useInstall((s) => s.act);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const missing = props.view.devices.filter(
    (d) => ['ESME', 'GSME', 'IHD', 'PPMID'].includes(d.type) && (!d.eui64 || !d.hasInstallCode) && (!props.deviceIds || props.deviceIds.includes(d.id)),
  );
  if (missing.length === 0) return null;
  return (
    <div className="install-identify">
      <h3>{t('install.identify.title')}</h3>
      <p className="hint">{t('install.identify.hint')}</p>
      {missing.map((device, index) => {
        const where = `identify:${device.id}`;
        const id = `install-label-${device.id}`;
        return (
          <form
            key={device.id}
            className="install-inline"
            onSubmit={(e) => {
              e.preventDefault();
              void act(where, 'install:identify', { jobId: props.view.jobId, deviceId: device.id, label: labels[device.id] ?? '' });
            }}
          >
            <div className="field">
              <label htmlFor={id}>{t('install.identify.label', { type: device.type, id: device.id })}</label>
              <input
                id={id}
                autoFocus={index === 0}
                autoComplete="off"
                value={labels[device.id] ?? ''}
                onChange={(e) => setLabels((l) => ({ ...l, [device.id]: e.target.value }))}
              />
            </div>
            <button type="submit" disabled={(labels[device.id] ?? '').trim() === ''}>
              {t('install.identify.button')}
            </button>
            <FieldError where={where} id={`${id}-error`} />
          </form>
        );
      })}
      {props.view.trainingLabels ? (
        <details>
          <summary>{t('install.identify.training')}</summary>
          <ul className="mono">
            {props.view.trainingLabels.map((l) => (
              <li key={l.eui64}>
                {l.type}: {l.label}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export { FieldError };
