import type { InstallStepView } from '../../../src-shared/ipc/channels/install';
import type { VisitRoute } from '../../../src-shared/model/visit-vocabulary';
import { t } from '../../i18n/i18n';
import { messagesEn, type MessageKey } from '../../i18n/messages-en';

/** A step's title in the engineer's language (install.step.<kind>.title). */
export function stepTitle(step: Pick<InstallStepView, 'kind'>): string {
  return t(`install.step.${step.kind}.title` as MessageKey);
}

/** What the step will do, with the route's own wording where a kind differs by route. */
export function stepAction(step: Pick<InstallStepView, 'kind'>, route: VisitRoute): string {
  const routed = `install.step.${step.kind}.action.${route}`;
  return t((routed in messagesEn ? routed : `install.step.${step.kind}.action`) as MessageKey);
}
