import type { ServiceProblem } from '../../src-shared/ipc/channels/app';
import { t } from '../i18n/i18n';
import { useApp } from '../stores/app-store';

const NONE: readonly ServiceProblem[] = [];
const SERVICE_NAMES = { premises: 'app.service.premises', dcc: 'app.service.dcc', mbus: 'app.service.mbus' } as const;

/**
 * A degraded start, said on the screen of the service that could not start: what failed and why, while the
 * rest of the app works. README "Troubleshooting" says how to fix each from the UI.
 */
export function ServiceProblems(props: { services: readonly ServiceProblem['service'][] }): React.JSX.Element | null {
  const problems = useApp((s) => s.info?.serviceProblems ?? NONE).filter((p) => props.services.includes(p.service));
  if (problems.length === 0) return null;
  return (
    <div className="card" role="alert" data-testid="service-problems">
      {problems.map((problem) => (
        <p key={problem.service} className="field-error">
          {t('app.serviceProblem', { service: t(SERVICE_NAMES[problem.service]), reason: problem.message })}
        </p>
      ))}
    </div>
  );
}
