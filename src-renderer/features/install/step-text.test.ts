import { describe, expect, it } from 'vitest';
import { STEP_DEFINITIONS, stepDefinition } from '../../../src-shared/flows/install-visit';
import { VISIT_ROUTES, VISIT_STEP_KINDS } from '../../../src-shared/model/visit-vocabulary';
import { messagesEn } from '../../i18n/messages-en';
import { stepAction, stepTitle } from './step-text';

describe('Install step texts come from the message catalogue', () => {
  it('has a title and an action for every step kind', () => {
    for (const kind of VISIT_STEP_KINDS) {
      expect(messagesEn, kind).toHaveProperty([`install.step.${kind}.title`]);
      expect(messagesEn, kind).toHaveProperty([`install.step.${kind}.action`]);
    }
  });

  it('says the same as main’s step definitions, route by route (typographic apostrophes aside)', () => {
    const plain = (text: string) => text.replace(/’/g, "'");
    for (const kind of VISIT_STEP_KINDS) {
      expect(stepTitle({ kind })).toBe(STEP_DEFINITIONS[kind].title);
      for (const route of VISIT_ROUTES) expect(plain(stepAction({ kind }, route)), `${kind} on ${route}`).toBe(stepDefinition(kind, route).action);
    }
  });
});
