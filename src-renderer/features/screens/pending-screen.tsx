import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { useApp } from '../../stores/app-store';
import { useJobs } from '../../stores/jobs-store';

/** A workflow screen whose capability has not landed yet: says so plainly and shows the open job. */
export function PendingScreen({ titleKey, introKey }: { titleKey: MessageKey; introKey?: MessageKey }): React.JSX.Element {
  const jobId = useApp((s) => s.currentJobId);
  const job = useJobs((s) => s.jobs.find((j) => j.id === jobId));
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t(titleKey)}</h1>
      {introKey ? <p>{t(introKey)}</p> : null}
      <p>{job ? t('screen.currentJob', { reference: job.workOrderReference ?? job.id }) : t('screen.noJob')}</p>
      <p className="hint">{t('screen.pending')}</p>
    </section>
  );
}
