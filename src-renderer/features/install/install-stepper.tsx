import type { InstallStepView } from '../../../src-shared/ipc/channels/install';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { stepTitle } from './step-text';

const MARK: Record<InstallStepView['status'], string> = {
  waiting: '○',
  running: '◐',
  done: '✓',
  failed: '✗',
  pending: '…',
  skipped: '↷',
  interrupted: '!',
};

export function statusText(status: InstallStepView['status']): string {
  return t(`install.status.${status}` as MessageKey);
}

export function deviceText(step: Pick<InstallStepView, 'deviceId' | 'deviceType'>): string {
  return step.deviceId ? `${step.deviceType ?? ''} ${step.deviceId}`.trim() : '';
}

/** Where the engineer is: every step with its status (and why, for skipped/failed/pending ones). */
export function InstallStepper(props: {
  steps: readonly InstallStepView[];
  currentKey: string | undefined;
  selectedKey: string | undefined;
  onSelect: (key: string) => void;
}): React.JSX.Element {
  return (
    <nav aria-label={t('install.stepper.label')} className="install-stepper">
      <ol>
        {props.steps.map((step) => (
          <li key={step.key} className={`install-step install-step-${step.status}`} data-testid={`install-step-${step.key}`} data-status={step.status}>
            <button
              type="button"
              aria-current={props.currentKey === step.key ? 'step' : undefined}
              aria-pressed={props.selectedKey === step.key}
              onClick={() => props.onSelect(step.key)}
            >
              <span aria-hidden="true" className="install-mark">
                {MARK[step.status]}
              </span>
              <span className="install-step-title">
                {stepTitle(step)}
                {step.deviceId ? <span className="install-device"> · {deviceText(step)}</span> : null}
              </span>
              <span className="install-step-status">{statusText(step.status)}</span>
            </button>
            {step.reason && step.status !== 'done' && step.status !== 'waiting' ? <p className="install-step-reason">{step.reason}</p> : null}
          </li>
        ))}
      </ol>
    </nav>
  );
}
