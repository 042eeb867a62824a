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

/** A work order from a file (picker or drag and drop), or pasted JSON for support. */
function ImportWorkOrder({ onDone }: { onDone(): void }): React.JSX.Element {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [dragging, setDragging] = useState(false);
  // Refused here, beside the field: input this big is not a work order, and the host would drop the connection.
  const tooLarge = (bytes: number): boolean => {
    if (bytes <= MAX_WORK_ORDER_BYTES) return false;
    setError(t('jobs.importTooLarge', { size: Math.ceil(bytes / 1024), limit: MAX_WORK_ORDER_BYTES / 1024 }));
    return true;
  };
  const importText = async (json: string, source: string): Promise<void> => {
    if (tooLarge(utf8Length(json))) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      setError(t('jobs.importNotJson', { source }));
      return;
    }
    const result = await invoke('jobs:importWorkOrder', parsed as never);
    if (result.ok) onDone();
    else setError(toEngineerError(result.error, parsed).message);
  };
  const importFile = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    if (tooLarge(file.size)) return;
    await importText(await file.text(), file.name);
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void importText(text, t('jobs.importPasted'));
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
        <Field id="work-order-file" label={t('jobs.importFile')} hint={t('jobs.importDrop')}>
          {(control) => <input {...control} type="file" accept=".json,application/json" onChange={(e) => void importFile(e.target.files?.[0])} />}
        </Field>
      </div>
      <details>
        <summary>{t('jobs.importPaste')}</summary>
        <Field id="work-order" label={t('jobs.importHelp')}>
          {(control) => <textarea {...control} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <button type="submit" className="primary">
          {t('jobs.import')}
        </button>
      </details>
      {error ? (
        <p className="field-error" role="alert" data-testid="work-order-error">
          {error}
        </p>
      ) : null}
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
