import { useEffect } from 'react';
import { formatDateTime } from '../../i18n/format';
import type { ReportSetView } from '../../../src-shared/ipc/channels/reports';
import { t } from '../../i18n/i18n';
import { useApp } from '../../stores/app-store';
import { useJobs } from '../../stores/jobs-store';
import { useReports } from '../../stores/reports-store';
import { ReportPreview } from './report-preview';
import './reports.css';

const kb = (bytes: number): string => `${Math.max(1, Math.round(bytes / 1024))} KB`;

function ReportList({ sets, onPreview }: { sets: readonly ReportSetView[]; onPreview(eventCount: number): void }): React.JSX.Element {
  const { saveAs, saveMessage } = useReports();
  if (sets.length === 0) return <p>{t('reports.list.empty')}</p>;
  return (
    <>
      <p className="hint" id="save-hint">
        {t('reports.save.hint')}
      </p>
      <table data-testid="report-list">
        <thead>
          <tr>
            <th scope="col">{t('reports.list.events')}</th>
            <th scope="col">{t('reports.list.status')}</th>
            <th scope="col">{t('reports.list.written')}</th>
            <th scope="col">{t('reports.list.files')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('reports.list.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sets.map((set) => (
            <tr key={set.eventCount}>
              <td>{set.eventCount}</td>
              <td>{set.status === 'draft' ? t('reports.list.draft', { outcome: set.outcome }) : set.outcome}</td>
              <td>{formatDateTime(set.writtenAt, { offset: true })}</td>
              <td className="report-files">
                {set.files.map((f) => {
                  const text = t('reports.save.file', { format: f.format.toUpperCase(), size: kb(f.bytes) });
                  return (
                    <button
                      key={f.format}
                      type="button"
                      title={f.name}
                      aria-describedby="save-message"
                      aria-label={t('reports.save.fileLabel', { format: f.format.toUpperCase(), size: kb(f.bytes), events: set.eventCount })}
                      onClick={() => void saveAs(set.eventCount, f.format)}
                    >
                      {text}
                    </button>
                  );
                })}
              </td>
              <td>
                <button type="button" onClick={() => onPreview(set.eventCount)} aria-label={t('reports.list.previewOf', { events: set.eventCount })}>
                  {t('reports.list.preview')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p id="save-message" role="status" className={saveMessage ? (saveMessage.ok ? 'status-ok' : 'field-error') : 'visually-hidden'}>
        {saveMessage?.text ?? ''}
      </p>
    </>
  );
}

/** Reports of one job: generate the PDF, JSON and CSV, list what was written, preview, save a copy of a file elsewhere. */
export function ReportsScreen(): React.JSX.Element {
  const currentJobId = useApp((s) => s.currentJobId);
  const jobs = useJobs((s) => s.jobs);
  const { jobId, sets, preview, busy, generateMessage, load, generate, showPreview } = useReports();
  const selected = jobId ?? currentJobId ?? jobs[0]?.id;

  useEffect(() => {
    if (selected !== jobId) void load(selected);
  }, [selected, jobId, load]);

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('screen.reports.title')}</h1>
      <p>{t('reports.intro')}</p>
      {jobs.length === 0 ? (
        <p>{t('screen.noJob')}</p>
      ) : (
        <div className="card">
          <div className="row">
            <div className="field">
              <label htmlFor="report-job">{t('reports.job')}</label>
              <select id="report-job" value={selected} onChange={(e) => void load(e.target.value)}>
                {jobs.map((job) => (
                  <option key={job.id} value={job.id}>
                    {job.workOrderReference ? `${job.workOrderReference} — ${job.address}` : `${job.id} — ${job.address}`}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <button type="button" className="primary" disabled={busy || !selected} onClick={() => void generate()} aria-describedby="generate-message">
            {busy ? t('reports.generating') : t('reports.generate')}
          </button>
          <p id="generate-message" role="status" className={generateMessage ? (generateMessage.ok ? 'status-ok' : 'field-error') : 'hint'}>
            {generateMessage
              ? generateMessage.ok
                ? t('reports.generated', { folder: generateMessage.text })
                : generateMessage.text
              : t('reports.generateHint')}
          </p>
          <h2>{t('reports.list.title')}</h2>
          <ReportList sets={sets} onPreview={(eventCount) => void showPreview(eventCount)} />
        </div>
      )}
      {preview ? <ReportPreview report={preview} /> : null}
    </section>
  );
}
