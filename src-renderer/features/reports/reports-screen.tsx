import { useEffect, useState } from 'react';
import { formatDateTime } from '../../i18n/format';
import { REPORT_FORMATS, type ReportFormat, type ReportSetView } from '../../../src-shared/ipc/channels/reports';
import { t } from '../../i18n/i18n';
import { useApp } from '../../stores/app-store';
import { useJobs } from '../../stores/jobs-store';
import { useReports } from '../../stores/reports-store';
import { ReportPreview } from './report-preview';

const kb = (bytes: number): string => `${Math.max(1, Math.round(bytes / 1024))} KB`;

function ReportList({ sets, onPreview }: { sets: readonly ReportSetView[]; onPreview(eventCount: number): void }): React.JSX.Element {
  if (sets.length === 0) return <p>{t('reports.list.empty')}</p>;
  return (
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
            <td>
              {set.files.map((f) => (
                <span key={f.format} title={f.name} className="badge">
                  {f.format.toUpperCase()} {kb(f.bytes)}
                </span>
              ))}
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
  );
}

function SaveCopyForm({ sets }: { sets: readonly ReportSetView[] }): React.JSX.Element {
  const { saveCopy, saveMessage } = useReports();
  const [eventCount, setEventCount] = useState<number | undefined>(sets[0]?.eventCount);
  const [format, setFormat] = useState<ReportFormat>('pdf');
  const [folder, setFolder] = useState('');
  const chosen = sets.some((s) => s.eventCount === eventCount) ? eventCount : sets[0]?.eventCount;
  const submit = (event: React.FormEvent): void => {
    event.preventDefault();
    if (chosen !== undefined) void saveCopy(chosen, format, folder);
  };
  return (
    <form onSubmit={submit} aria-labelledby="save-copy-title" className="card">
      <h2 id="save-copy-title">{t('reports.save.title')}</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="save-report">{t('reports.save.report')}</label>
          <select id="save-report" value={chosen} onChange={(e) => setEventCount(Number(e.target.value))}>
            {sets.map((s) => (
              <option key={s.eventCount} value={s.eventCount}>
                {t('reports.save.option', { events: s.eventCount, status: s.status })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="save-format">{t('reports.save.format')}</label>
          <select id="save-format" value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)}>
            {REPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f.toUpperCase()}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="save-folder">{t('reports.save.folder')}</label>
          <input id="save-folder" className="mono" value={folder} onChange={(e) => setFolder(e.target.value)} aria-describedby="save-message" />
        </div>
      </div>
      <button type="submit">{t('reports.save.button')}</button>
      <p id="save-message" role="status" className={saveMessage ? (saveMessage.ok ? 'status-ok' : 'field-error') : 'hint'}>
        {saveMessage ? (saveMessage.ok ? t('reports.save.saved', { path: saveMessage.text }) : saveMessage.text) : t('reports.save.hint')}
      </p>
    </form>
  );
}

/** Reports of one job: generate the PDF, JSON and CSV, list what was written, preview, save a copy elsewhere. */
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
      {sets.length > 0 ? <SaveCopyForm sets={sets} /> : null}
      {preview ? <ReportPreview report={preview} /> : null}
    </section>
  );
}
