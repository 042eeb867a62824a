import { useEffect, useState } from 'react';
import type { InstallStepView, InstallView } from '../../../src-shared/ipc/channels/install';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { useInstall } from '../../stores/install-store';
import { AnswerForm } from './answer-forms';
import { deviceText, statusText } from './install-stepper';
import { FaultForm, FieldError, IdentifyDevices, SkipForm } from './step-actions';
import { stepAction, stepTitle } from './step-text';

/** Forms an engineer may add several of (one per removed meter, one per survey position). */
const REPEATABLE = new Set(['removed-meter', 'rf-survey-position']);

function useCountdown(endsAtMs: number | undefined): number | undefined {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (endsAtMs === undefined) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [endsAtMs]);
  return endsAtMs === undefined ? undefined : Math.max(0, Math.round((endsAtMs - now) / 1000));
}

function Answered(props: { step: InstallStepView }): React.JSX.Element | null {
  if (props.step.answers.length === 0) return null;
  return (
    <div>
      <h3>{t('install.answers.entered')}</h3>
      <ul data-testid="install-answers">
        {props.step.answers.map((a, i) => (
          <li key={i}>
            {Object.entries(a)
              .filter(([k]) => k !== 'form')
              .map(([k, v]) => `${k}: ${typeof v === 'object' ? Object.values(v as object).join(' ') : String(v)}`)
              .join(', ')}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Progress(props: { view: InstallView }): React.JSX.Element | null {
  const act = useInstall((s) => s.act);
  const left = useCountdown(props.view.running?.endsAtMs);
  if (!props.view.running) return null;
  return (
    <div className="install-progress" role="status" data-testid="install-progress">
      <progress aria-label={t('install.run.inProgress')} />
      <p>
        {props.view.running.text ?? t('install.run.inProgress')}
        {left !== undefined ? ` — ${t('install.run.left', { seconds: left })}` : ''}
      </p>
      <button type="button" onClick={() => void act('cancel', 'install:cancel', { jobId: props.view.jobId })}>
        {t('install.run.cancel')}
      </button>
    </div>
  );
}

/** One step: what it will do, what it needs, its result, and the engineer's controls (run/retry, skip, fault). */
export function StepPanel(props: { view: InstallView; step: InstallStepView; isCurrent: boolean }): React.JSX.Element {
  const act = useInstall((s) => s.act);
  const { view, step } = props;
  const visit = view.visit!;
  const running = view.running?.key === step.key;
  const busy = view.running !== undefined;
  const needsMissing = step.needs !== undefined && !step.answers.some((a) => a.form === step.needs);
  const open = props.isCurrent && !busy && visit.outcome === undefined;
  const gas = view.devices.some((d) => d.type === 'GSME');
  const isCompletion = step.kind === 'completion';
  const identifyFor = step.kind === 'device-log' ? undefined : step.kind === 'whitelist' && step.deviceId ? [step.deviceId] : [];
  const runLabel = step.status === 'failed' || step.status === 'interrupted' ? t('install.run.retry') : t('install.run.start');
  const disabledWhy = busy
    ? t('install.run.busy')
    : needsMissing
      ? t('install.run.needs', { form: t(`install.form.${step.needs!}` as MessageKey) })
      : undefined;
  return (
    <section className="card install-panel" aria-labelledby="install-step-title" data-testid="install-panel">
      <h2 id="install-step-title">
        {stepTitle(step)}
        {step.deviceId ? <span className="install-device"> · {deviceText(step)}</span> : null}
      </h2>
      <p>
        <strong>{t('install.panel.willDo')}</strong> {stepAction(step, visit.route)}
      </p>
      <p data-testid="install-step-status">
        <strong>{t('install.panel.status')}</strong> <span className={`install-status-${step.status}`}>{statusText(step.status)}</span>
        {step.attempt > 1 ? ` (${t('install.panel.attempt', { attempt: step.attempt })})` : ''}
      </p>
      {step.summary ? <p data-testid="install-step-summary">{step.summary}</p> : null}
      {step.reason && step.status !== 'done' ? (
        <p className={step.status === 'failed' || step.status === 'interrupted' ? 'status-bad' : 'warning-text'} data-testid="install-step-reason">
          {step.reason}
          {step.failureCode ? ` (${step.failureCode})` : ''}
        </p>
      ) : null}
      {step.requestIds?.length ? (
        <p className="hint mono">
          {t('install.panel.requests')} {step.requestIds.join(', ')}
        </p>
      ) : null}
      {step.faults.length ? (
        <ul className="status-bad">
          {step.faults.map((f, i) => (
            <li key={i}>
              {t(`install.fault.kind.${f.faultKind}` as MessageKey)}: {f.chfFaultReason ? `${f.chfFaultReason} — ` : ''}
              {f.text}
            </li>
          ))}
        </ul>
      ) : null}
      {running ? <Progress view={view} /> : null}
      <Answered step={step} />
      {open && identifyFor !== undefined && identifyFor.length === 0 ? null : open ? (
        <IdentifyDevices view={view} {...(identifyFor ? { deviceIds: identifyFor } : {})} />
      ) : null}
      {open && step.needs && (needsMissing || REPEATABLE.has(step.needs)) ? (
        <AnswerForm
          key={step.key}
          form={step.needs}
          gas={gas}
          onSubmit={(answers) => act('answer', 'install:answer', { jobId: view.jobId, key: step.key, answers })}
        />
      ) : null}
      <FieldError where="answer" id="install-answer-error" />
      {open && isCompletion ? (
        <div className="install-actions">
          <p>{t(`install.complete.will.${visit.prospective.outcome}` as MessageKey)}</p>
          <button type="button" className="primary install-big" onClick={() => void act('run', 'install:complete', { jobId: view.jobId })}>
            {t('install.complete.button')}
          </button>
        </div>
      ) : null}
      {open && !isCompletion ? (
        <div className="install-actions">
          <button
            type="button"
            className="primary install-big"
            disabled={disabledWhy !== undefined}
            aria-describedby={disabledWhy ? 'install-run-why' : undefined}
            onClick={() => void act('run', 'install:run', { jobId: view.jobId, key: step.key })}
          >
            {runLabel}
          </button>
          {disabledWhy ? (
            <p id="install-run-why" className="hint">
              {disabledWhy}
            </p>
          ) : null}
          <FieldError where="run" id="install-run-error" />
          <SkipForm jobId={view.jobId} step={step} />
          <FaultForm jobId={view.jobId} step={step} />
        </div>
      ) : null}
      {!props.isCurrent && !running && visit.outcome === undefined && step.status === 'waiting' ? <p className="hint">{t('install.panel.later')}</p> : null}
    </section>
  );
}
