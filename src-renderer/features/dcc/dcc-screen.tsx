import { formatNumber, formatTime } from '../../i18n/format';
import { ActionButton } from '../../components/field';
import { Fragment, useEffect, useState } from 'react';
import {
  DCC_GBCS_FAULTS,
  DCC_PAYLOAD_FORMATS,
  type DccGbcsFault,
  type DccPayloadFormat,
  type DccRequestView,
  type ReadingView,
  type VerificationView,
} from '../../../src-shared/ipc/channels/dcc';
import { ServiceProblems } from '../../components/service-problems';
import { t } from '../../i18n/i18n';
import { DccConnectionForm } from './dcc-connection-form';
import { useDcc, subscribeDcc } from '../../stores/dcc-store';
import { useApp } from '../../stores/app-store';
import { useJobs } from '../../stores/jobs-store';

function duration(from: string | undefined, to: string | undefined): string {
  if (!from || !to) return t('common.none');
  return `${formatNumber((Date.parse(to) - Date.parse(from)) / 1000, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
}

function Reading(props: { reading: ReadingView }): React.JSX.Element {
  const r = props.reading;
  return (
    <li>
      {t('dcc.verify.reading', {
        source: t(`dcc.source.${r.source}`),
        value: r.value,
        unit: r.unit,
        time: formatTime(r.takenAt, { seconds: true, offset: true }),
      })}
      {r.reference ? <span className="hint"> — {r.reference}</span> : null}
    </li>
  );
}

function Verification(props: { result: VerificationView }): React.JSX.Element {
  const v = props.result;
  return (
    <div data-testid="dcc-verification">
      <p className={v.pass ? 'status-ok' : 'status-bad'}>{v.pass ? t('dcc.verify.pass') : t('dcc.verify.fail')}</p>
      <ul>
        <Reading reading={v.first} />
        <Reading reading={v.second} />
      </ul>
      <p>{t('dcc.verify.difference', { difference: v.differenceWh, allowed: v.allowedWh, seconds: Math.round(v.elapsedMs / 1000) })}</p>
      <p className="hint">{v.reason}</p>
    </div>
  );
}

/** The device response's use case and GBCS checks, in words (a failed check stands out). */
function GbcsVerdicts(props: { gbcs: DccRequestView['gbcs'] }): React.JSX.Element {
  const g = props.gbcs;
  if (!g) return <>{t('common.none')}</>;
  if ('unreadable' in g) return <span className="status-bad">{g.unreadable}</span>;
  const bad = (v: string): boolean => v === 'invalid' || v === 'unknown';
  return (
    <>
      <div>{g.useCase ?? g.messageCode}</div>
      <div className={bad(g.mac) ? 'status-bad' : undefined}>{t('dcc.log.mac', { verdict: t(`dcc.verdict.${g.mac}`) })}</div>
      <div className={bad(g.signature) ? 'status-bad' : undefined}>{t('dcc.log.signature', { verdict: t(`dcc.verdict.${g.signature}`) })}</div>
      <div className={g.decryption === 'invalid' || g.decryption === 'unknown' ? 'status-bad' : undefined}>
        {t('dcc.log.decryption', { verdict: t(`dcc.decryption.${g.decryption}`) })}
      </div>
    </>
  );
}

/** A RequestID (User:device:counter) that wraps only at its colons, and copies whole. */
function RequestIdText(props: { id: string }): React.JSX.Element {
  const parts = props.id.split(':');
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          <span className="identifier">{i < parts.length - 1 ? `${part}:` : part}</span>
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </>
  );
}

function RequestLog(props: { requests: readonly DccRequestView[] }): React.JSX.Element {
  if (props.requests.length === 0) return <p>{t('dcc.log.empty')}</p>;
  return (
    // Focusable so a keyboard can scroll it when a narrow window makes it scroll.
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('dcc.log.title')}>
      <table data-testid="dcc-request-log">
        <thead>
          <tr>
            <th scope="col">{t('dcc.log.requestId')}</th>
            <th scope="col">{t('dcc.log.serviceRequest')}</th>
            <th scope="col">{t('dcc.log.state')}</th>
            <th scope="col">{t('dcc.log.response')}</th>
            <th scope="col">{t('dcc.log.gbcs')}</th>
            <th scope="col">{t('dcc.log.timing')}</th>
          </tr>
        </thead>
        <tbody>
          {[...props.requests].reverse().flatMap((r) => [
            <tr key={r.requestId}>
              <td className="mono request-id">
                <RequestIdText id={r.requestId} />
              </td>
              <td>
                {r.serviceRequest} {r.name}
              </td>
              <td>
                {r.state}
                {r.inFlight ? <div className="hint">{t('dcc.log.inFlight')}</div> : null}
                {r.critical ? (
                  <div className="hint">
                    {r.critical.phase === 'signed' ? t('dcc.log.criticalSigned', { useCase: r.critical.useCase ?? '' }) : t('dcc.log.criticalTransform')}
                  </div>
                ) : null}
              </td>
              <td>{r.responseCode ? `${r.responseCode} — ${r.responseMeaning ?? ''}` : t('common.none')}</td>
              <td data-testid="dcc-gbcs-verdicts">
                <GbcsVerdicts gbcs={r.gbcs} />
              </td>
              <td>
                {t('dcc.log.timings', {
                  sent: formatTime(r.sentAt ?? r.createdAt, { seconds: true }),
                  ack: duration(r.sentAt, r.acknowledgedAt),
                  done: duration(r.sentAt, r.completedAt),
                })}
              </td>
            </tr>,
            // The reason gets the table's whole width: read in one narrow column it ran to a dozen lines.
            r.lastError ? (
              <tr key={`${r.requestId} reason`} className="log-reason">
                <td colSpan={6} className="hint">
                  {r.lastError}
                </td>
              </tr>
            ) : null,
          ])}
        </tbody>
      </table>
    </div>
  );
}

/** DCC settings, end-to-end read verification of the ESME, and the request log. */
export function DccScreen(): React.JSX.Element {
  const { status, requests, verification, busy, error, loadError, refresh, verify, retry, setWrongValue, setSimulator, mpanWarning, confirmMpan, abortMpan } =
    useDcc();
  const jobs = useJobs((s) => s.jobs);
  const currentJobId = useApp((s) => s.currentJobId);
  const [display, setDisplay] = useState('');
  // Verification is recorded in the open job by default; the engineer may choose another or none.
  const [chosenJob, setJobId] = useState<string>();
  const jobId = chosenJob ?? (currentJobId && jobs.some((j) => j.id === currentJobId) ? currentJobId : '');
  const [wrong, setWrong] = useState(false);

  useEffect(() => {
    const stop = subscribeDcc();
    void refresh();
    return stop;
  }, [refresh]);

  const record = jobId ? { jobId } : {};
  const configured = status?.mode !== undefined && status.mode !== 'none';
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('screen.dcc.title')}</h1>
      <ServiceProblems services={['dcc']} />
      <div className="card">
        <h2>{t('dcc.settings.title')}</h2>
        {status?.problem ? (
          <p className="field-error" role="alert" data-testid="dcc-problem">
            {status.problem}
          </p>
        ) : null}
        {!status ? (
          <p>{t('common.loading')}</p>
        ) : !configured ? (
          <p>{t('dcc.settings.none')}</p>
        ) : (
          <>
            {status.testCredentials ? (
              <p className="warning-text" role="note" data-testid="dcc-test-credentials">
                {t('dcc.settings.testCredentials')}
              </p>
            ) : null}
            <dl>
              <dt>{t('dcc.settings.mode')}</dt>
              <dd>{status.mode === 'direct' ? t('dcc.settings.modeDirect') : t('dcc.settings.modeTraining')}</dd>
              <dt>{t('dcc.settings.baseUrl')}</dt>
              <dd className="mono">{status.baseUrl}</dd>
              <dt>{t('dcc.settings.userId')}</dt>
              <dd className="mono">{status.userId}</dd>
              <dt>{t('dcc.settings.listener')}</dt>
              <dd className="mono">{status.listenerUrl}</dd>
              {status.gbcsSigningKey ? (
                <>
                  <dt>{t('dcc.settings.signingKey')}</dt>
                  <dd data-testid="dcc-signing-key" className={status.gbcsSigningKey === 'none' ? 'warning-text' : undefined}>
                    {t(`dcc.settings.signingKey.${status.gbcsSigningKey}`)}
                  </dd>
                </>
              ) : null}
            </dl>
            {status.listenerWarning ? (
              <p className="warning-text" role="note" data-testid="dcc-listener-warning">
                {status.listenerWarning}
              </p>
            ) : null}
            <p data-testid="dcc-queued">{t('dcc.queue.count', { count: status.queued })}</p>
            {status.queued > 0 ? (
              <button type="button" onClick={() => void retry()}>
                {t('dcc.queue.retry')}
              </button>
            ) : null}
          </>
        )}
      </div>

      <DccConnectionForm direct={status?.mode === 'direct' || status?.problem !== undefined} />

      {configured ? (
        <div className="card">
          <h2>{t('dcc.verify.title')}</h2>
          <p>{t('dcc.verify.intro')}</p>
          <div className="field">
            <label htmlFor="dcc-job">{t('dcc.verify.job')}</label>
            <select id="dcc-job" value={jobId} onChange={(e) => setJobId(e.target.value)}>
              <option value="">{t('dcc.verify.noJob')}</option>
              {jobs.map((job) => (
                <option key={job.id} value={job.id}>
                  {job.workOrderReference ?? job.id} — {job.address}
                </option>
              ))}
            </select>
          </div>
          <div className="row">
            <ActionButton disabledReason={busy ? t('dcc.verify.busyWhy') : undefined} onClick={() => void verify({ method: 'han-vs-dcc', ...record })}>
              {t('dcc.verify.hanVsDcc')}
            </ActionButton>
          </div>
          <div className="field">
            <label htmlFor="dcc-display">{t('dcc.verify.display')}</label>
            <input
              id="dcc-display"
              inputMode="decimal"
              value={display}
              onChange={(e) => setDisplay(e.target.value.trim())}
              aria-describedby="dcc-display-hint"
            />
            <p id="dcc-display-hint" className="hint">
              {status?.trainingMeterDisplayKWh ? t('dcc.verify.trainingDisplay', { value: status.trainingMeterDisplayKWh }) : t('dcc.verify.displayHint')}
            </p>
          </div>
          <ActionButton
            disabledReason={busy ? t('dcc.verify.busyWhy') : display === '' ? t('dcc.verify.displayWhy') : undefined}
            onClick={() => void verify({ method: 'display-vs-dcc', displayValue: display, ...record })}
          >
            {t('dcc.verify.displayVsDcc')}
          </ActionButton>
          {mpanWarning ? (
            <div className="warning-text" role="alert" data-testid="dcc-mpan-warning">
              <p>{mpanWarning.message}</p>
              <div className="row">
                <button type="button" onClick={() => void confirmMpan()}>
                  {t('dcc.verify.mpanConfirm')}
                </button>
                <button type="button" onClick={abortMpan}>
                  {t('dcc.verify.mpanAbort')}
                </button>
              </div>
            </div>
          ) : null}
          <div aria-live="polite">
            {busy ? <p>{t('dcc.verify.running')}</p> : null}
            {(error ?? loadError) ? (
              <p className="status-bad" role="alert" data-testid="dcc-verify-error">
                {error ?? loadError}
              </p>
            ) : null}
            {verification ? <Verification result={verification} /> : null}
          </div>
        </div>
      ) : null}

      {status?.trainingSimulator ? (
        <div className="card">
          <h2>{t('dcc.training.title')}</h2>
          <p className="hint">{t('dcc.training.endpointHint')}</p>
          <div className="field">
            <label htmlFor="dcc-simulator-url">{t('dcc.training.endpoint')}</label>
            <input id="dcc-simulator-url" className="mono" readOnly value={status.trainingSimulator.baseUrl} />
          </div>
          <div className="field">
            <label htmlFor="dcc-simulator-ca">{t('dcc.training.ca')}</label>
            <textarea id="dcc-simulator-ca" className="mono" readOnly rows={4} spellCheck={false} value={status.trainingSimulator.caCertPem} />
          </div>
          {status.trainingSimulator.smkiUrl ? (
            <div className="field">
              <label htmlFor="dcc-simulator-smki-url">{t('dcc.training.smkiUrl')}</label>
              <input id="dcc-simulator-smki-url" className="mono" readOnly value={status.trainingSimulator.smkiUrl} />
            </div>
          ) : null}
          {status.trainingSimulator.smkiDeviceCaPem ? (
            <div className="field">
              <label htmlFor="dcc-simulator-smki-ca">{t('dcc.training.smkiDeviceCa')}</label>
              <textarea id="dcc-simulator-smki-ca" className="mono" readOnly rows={4} spellCheck={false} value={status.trainingSimulator.smkiDeviceCaPem} />
            </div>
          ) : null}
          <label className="row">
            <input
              type="checkbox"
              checked={wrong}
              onChange={(e) => {
                setWrong(e.target.checked);
                void setWrongValue(e.target.checked);
              }}
            />
            {t('dcc.training.wrongValue')}
          </label>
          <div className="field">
            <label htmlFor="dcc-gbcs-fault">{t('dcc.training.gbcsFault')}</label>
            <select
              id="dcc-gbcs-fault"
              value={status.trainingSimulator.gbcsFault ?? 'none'}
              aria-describedby="dcc-gbcs-fault-hint"
              onChange={(e) => void setSimulator({ gbcsFault: e.target.value as DccGbcsFault })}
            >
              {DCC_GBCS_FAULTS.map((f) => (
                <option key={f} value={f}>
                  {t(`dcc.training.fault.${f}`)}
                </option>
              ))}
            </select>
            <p id="dcc-gbcs-fault-hint" className="hint">
              {t('dcc.training.gbcsFaultHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor="dcc-payload-format">{t('dcc.training.payloadFormat')}</label>
            <select
              id="dcc-payload-format"
              value={status.trainingSimulator.payloadFormat ?? 'gbcs'}
              onChange={(e) => void setSimulator({ payloadFormat: e.target.value as DccPayloadFormat })}
            >
              {DCC_PAYLOAD_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {t(`dcc.training.format.${f}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="button" onClick={() => void refresh()}>
            {t('dcc.training.refresh')}
          </button>
        </div>
      ) : null}

      <div className="card">
        <h2>{t('dcc.log.title')}</h2>
        <RequestLog requests={requests} />
      </div>
    </section>
  );
}
