import { useEffect, useState } from 'react';
import type { EngineerView } from '../../../src-shared/ipc/channels/jobs';
import { Field } from '../../components/field';
import { toEngineerError } from '../../errors/engineer-errors';
import { t } from '../../i18n/i18n';
import { invoke } from '../../ipc';
import { create } from 'zustand';

/** Who is working: one name, recorded on every event and prefilled in the job form. */
export const useEngineer = create<{ engineer: EngineerView | undefined; load(): Promise<void>; set(name: string): Promise<string | undefined> }>((set) => ({
  engineer: undefined,
  async load() {
    const result = await invoke('jobs:engineer');
    if (result.ok) set({ engineer: result.value });
  },
  async set(name) {
    const result = await invoke('jobs:setEngineer', { name });
    if (result.ok) {
      set({ engineer: result.value });
      return undefined;
    }
    return toEngineerError(result.error, { name }).fields.name ?? toEngineerError(result.error).message;
  },
}));

/**
 * Asks for the engineer's name when none was given yet (only the computer's user name is known) — a dismissible
 * banner, never a dialog that blocks a screen. The job form's Engineer field sets the same name.
 */
export function EngineerBanner(): React.JSX.Element | null {
  const { engineer, load, set } = useEngineer();
  const [dismissed, setDismissed] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    void load();
  }, [load]);
  if (!engineer || engineer.source !== 'system' || dismissed) return null;
  return (
    <form
      className="banner"
      aria-labelledby="engineer-banner-title"
      onSubmit={(e) => {
        e.preventDefault();
        void set(name).then(setError);
      }}
    >
      <p id="engineer-banner-title">{t('engineer.banner', { name: engineer.name })}</p>
      <div className="row">
        <Field label={t('engineer.name')} error={error}>
          {(control) => <input {...control} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />}
        </Field>
        <button type="submit" className="primary">
          {t('common.save')}
        </button>
        <button type="button" onClick={() => setDismissed(true)}>
          {t('notice.dismiss')}
        </button>
      </div>
    </form>
  );
}
