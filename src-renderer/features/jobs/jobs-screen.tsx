import { useState } from 'react';
import { MAX_WORK_ORDER_BYTES, utf8Length } from '../../../src-shared/ipc/limits';
import { t } from '../../i18n/i18n';
import { Field } from '../../components/field';
import { toEngineerError } from '../../errors/engineer-errors';
import { invoke } from '../../ipc';
import { useApp } from '../../stores/app-store';
import { useJobs } from '../../stores/jobs-store';
import { JobDetail } from './job-detail';
import { JobForm } from './job-form';
import { JobsTable } from './jobs-table';

/** Where a work order came from: its error is shown beside that control. */
type ImportSource = 'file' | 'paste';

/** A work order from a file (picker or drag and drop), or pasted JSON for support; an error sits beside its control. */
function ImportWorkOrder({ onDone }: { onDone(): void }): React.JSX.Element {
  const [text, setText] = useState('');
  const [error, setError] = useState<{ source: ImportSource; message: string }>();
  const [dragging, setDragging] = useState(false);
  const importText = async (json: string, source: ImportSource, name: string): Promise<void> => {
    const fail = (message: string): void => setError({ source, message });
    // Refused here, beside the field: input this big is not a work order, and the host would drop the connection.
    const bytes = utf8Length(json);
    if (bytes > MAX_WORK_ORDER_BYTES) return fail(t('jobs.importTooLarge', { size: Math.ceil(bytes / 1024), limit: MAX_WORK_ORDER_BYTES / 1024 }));
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return fail(t('jobs.importNotJson', { source: name }));
    }
    const result = await invoke('jobs:importWorkOrder', parsed as never);
    if (result.ok) onDone();
    else fail(toEngineerError(result.error, parsed).message);
  };
  const importFile = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    if (file.size > MAX_WORK_ORDER_BYTES)
      return setError({ source: 'file', message: t('jobs.importTooLarge', { size: Math.ceil(file.size / 1024), limit: MAX_WORK_ORDER_BYTES / 1024 }) });
    await importText(await file.text(), 'file', file.name);
  };
  const errorFor = (source: ImportSource): string | undefined => (error?.source === source ? error.message : undefined);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void importText(text, 'paste', t('jobs.importPasted'));
      }}
      aria-labelledby="import-title"
    >
      <h2 id="import-title">{t('jobs.import')}</h2>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="work-order-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void importFile(e.dataTransfer.files[0]);
        }}
      >
        <Field id="work-order-file" label={t('jobs.importFile')} hint={t('jobs.importDrop')} error={errorFor('file')} errorTestId="work-order-error">
          {(control) => <input {...control} type="file" accept=".json,application/json" onChange={(e) => void importFile(e.target.files?.[0])} />}
        </Field>
      </div>
      <details open={error?.source === 'paste' ? true : undefined}>
        <summary>{t('jobs.importPaste')}</summary>
        <Field id="work-order" label={t('jobs.importHelp')} error={errorFor('paste')} errorTestId="work-order-error">
          {(control) => <textarea {...control} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <button type="submit" className="primary">
          {t('jobs.import')}
        </button>
      </details>
      <div className="row">
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

// A stable empty list: a selector returning a fresh [] each time would re-render forever under zustand 5.
const NO_DAMAGED_JOBS: readonly never[] = [];

export function JobsScreen(): React.JSX.Element {
  const { jobs, loaded, error, open, load, close } = useJobs();
  const openJob = useApp((s) => s.openJob);
  const damaged = useApp((s) => s.info?.damagedJobs) ?? NO_DAMAGED_JOBS;
  const [mode, setMode] = useState<'list' | 'create' | 'import'>('list');

  const show = (id: string): void => {
    openJob(id);
    void load(id);
  };

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('jobs.title')}</h1>
      {damaged.map((d) => (
        <p key={d.jobId} className="field-error" role="alert">
          {t('jobs.damaged', { jobId: d.jobId, seq: d.seq, reason: d.reason })}
        </p>
      ))}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {mode === 'create' ? (
        <div className="card">
          <JobForm
            onDone={(summary) => {
              setMode('list');
              if (summary) show(summary.id);
            }}
          />
        </div>
      ) : mode === 'import' ? (
        <div className="card">
          <ImportWorkOrder onDone={() => setMode('list')} />
        </div>
      ) : (
        <div className="row">
          <button type="button" className="primary" onClick={() => setMode('create')}>
            {t('jobs.new')}
          </button>
          <button type="button" onClick={() => setMode('import')}>
            {t('jobs.import')}
          </button>
        </div>
      )}
      {open ? (
        <div className="card">
          <JobDetail
            job={open}
            onClose={() => {
              close();
              openJob(undefined);
            }}
          />
        </div>
      ) : null}
      <h2>{t('jobs.title')}</h2>
      {loaded && jobs.length === 0 ? <p>{t('jobs.empty')}</p> : <JobsTable jobs={jobs} onOpen={show} />}
    </section>
  );
}
