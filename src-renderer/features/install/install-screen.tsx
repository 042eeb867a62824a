import { useEffect, useState } from 'react';
import type { InstallView } from '../../../src-shared/ipc/channels/install';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { useApp } from '../../stores/app-store';
import { subscribeInstall, useInstall } from '../../stores/install-store';
import { useJobs } from '../../stores/jobs-store';
import { InstallStepper } from './install-stepper';
import { StepPanel } from './step-panel';
import { AbortForm, FieldError } from './step-actions';
import './install.css';

function RouteChoice(props: { jobId: string }): React.JSX.Element {
  const act = useInstall((s) => s.act);
  return (
    <section className="card" aria-labelledby="install-route-title">
      <h2 id="install-route-title">{t('install.route.choose')}</h2>
      <div className="install-routes">
        <button type="button" className="install-big" onClick={() => void act('begin', 'install:begin', { jobId: props.jobId, route: 'live-comms-hub' })}>
          <strong>{t('install.route.live-comms-hub')}</strong>
          <span>{t('install.route.live-comms-hub.hint')}</span>
        </button>
        <button type="button" className="install-big" onClick={() => void act('begin', 'install:begin', { jobId: props.jobId, route: 'own-network' })}>
          <strong>{t('install.route.own-network')}</strong>
          <span>{t('install.route.own-network.hint')}</span>
        </button>
      </div>
      <FieldError where="begin" id="install-begin-error" />
    </section>
  );
}

function OutcomeLine(props: { view: InstallView }): React.JSX.Element {
  const visit = props.view.visit!;
  const outcome = visit.outcome;
  return (
    <p
      data-testid="install-outcome"
      className={outcome?.outcome === 'aborted' ? 'status-bad' : outcome?.outcome === 'completed' ? 'status-ok' : outcome ? 'warning-text' : undefined}
    >
      <strong>{t('install.route.label')}</strong> {t(`install.route.${visit.route}` as MessageKey)} ·{' '}
      <strong>{outcome ? t('install.outcome.final') : t('install.outcome.soFar')}</strong>{' '}
      {outcome || visit.prospective.outcome !== 'completed'
        ? t(`install.outcome.${outcome?.outcome ?? visit.prospective.outcome}` as MessageKey)
        : t('install.outcome.inProgress', {
            done: visit.steps.filter((s) => ['done', 'skipped', 'pending'].includes(s.status)).length,
            total: visit.steps.length,
          })}
      {outcome ? ` — ${outcome.abortReason ? `${outcome.abortReason}: ` : ''}${outcome.reason}` : ''}
    </p>
  );
}

/** Install: the guided visit for one job, from arrival to its outcome, on one screen. */
export function InstallScreen(): React.JSX.Element {
  const jobs = useJobs((s) => s.jobs);
  const currentJobId = useApp((s) => s.currentJobId);
  const { jobId, view, select } = useInstall();
  // The step the engineer chose to look at, remembered with where the visit was then: once the visit moves on, the
  // panel follows it again.
  const [chosen, setChosen] = useState<{ key: string; at: string | undefined } | undefined>(undefined);

  useEffect(() => subscribeInstall(), []);
  useEffect(() => {
    const wanted = jobId ?? currentJobId ?? jobs[0]?.id;
    if (wanted && wanted !== jobId) void select(wanted);
  }, [jobId, currentJobId, jobs, select]);

  const visit = view?.visit;
  const currentKey = visit?.currentKey;
  // Follow the engineer's place unless they chose another step to look at.
  const selected = chosen && chosen.at === currentKey ? chosen.key : undefined;
  const shownKey = selected && visit?.steps.some((s) => s.key === selected) ? selected : (view?.running?.key ?? currentKey ?? visit?.steps.at(-1)?.key);
  const shown = visit?.steps.find((s) => s.key === shownKey);

  return (
    <section aria-labelledby="install-title" className="install-screen">
      <div className="row install-head">
        <h1 id="install-title">{t('screen.install.title')}</h1>
        <div className="field">
          <label htmlFor="install-job">{t('install.job')}</label>
          <select
            id="install-job"
            value={jobId ?? ''}
            onChange={(e) => {
              setChosen(undefined);
              void select(e.target.value || undefined);
            }}
          >
            {jobs.length === 0 ? <option value="">{t('install.noJobs')}</option> : null}
            {jobs.map((j) => (
              <option key={j.id} value={j.id}>
                {j.workOrderReference ?? j.id} — {j.address}
              </option>
            ))}
          </select>
        </div>
      </div>
      <FieldError where="job" id="install-job-error" />
      {jobs.length === 0 ? <p>{t('install.noJobs')}</p> : null}
      {view && visit ? <OutcomeLine view={view} /> : null}
      {view && !visit ? <RouteChoice jobId={view.jobId} /> : null}
      {view?.problems.length ? <p className="warning-text">{t('install.problems', { count: view.problems.length })}</p> : null}
      {view && visit ? (
        <div className="install-grid">
          <InstallStepper steps={visit.steps} currentKey={currentKey} selectedKey={shownKey} onSelect={(key) => setChosen({ key, at: currentKey })} />
          <div>
            {shown ? <StepPanel view={view} step={shown} isCurrent={shown.key === currentKey} /> : null}
            {!visit.outcome && !view.running ? <AbortForm jobId={view.jobId} /> : null}
            {visit.outcome ? <RouteChoice jobId={view.jobId} /> : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}
