import { useState } from 'react';
import { MAX_WORK_ORDER_BYTES, utf8Length } from '../../../src-shared/ipc/limits';
import { t } from '../../i18n/i18n';
import { invoke } from '../../ipc';
import { useApp } from '../../stores/app-store';
import { useJobs } from '../../stores/jobs-store';
import { JobDetail } from './job-detail';
import { JobForm } from './job-form';
import { JobsTable } from './jobs-table';

function ImportWorkOrder({ onDone }: { onDone(): void }): React.JSX.Element {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    // Refused here, beside the field: a paste this big is not a work order, and the host would drop the connection.
    const size = utf8Length(text);
    if (size > MAX_WORK_ORDER_BYTES) {
      setError(t('jobs.importTooLarge', { size: Math.ceil(size / 1024), limit: MAX_WORK_ORDER_BYTES / 1024 }));
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      setError(`The work order is not valid JSON: ${(e as Error).message}`);
      return;
    }
    const result = await invoke('jobs:importWorkOrder', parsed as never);
    if (result.ok) onDone();
    else setError(result.error.message);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="import-title">
      <h2 id="import-title">{t('jobs.import')}</h2>
      <label htmlFor="work-order">{t('jobs.importHelp')}</label>
      <textarea
        id="work-order"
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'work-order-error' : undefined}
      />
      {error ? (
        <p id="work-order-error" className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary">
          {t('jobs.import')}
        </button>
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
