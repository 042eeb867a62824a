import { useEffect, useState } from 'react';
import type { TrainingMeterPointView } from '../../../src-shared/ipc/channels/jobs';
import { Field } from '../../components/field';
import { toEngineerError } from '../../errors/engineer-errors';
import { t } from '../../i18n/i18n';
import { invoke } from '../../ipc';

/**
 * Training premises only: the wM-Bus meters' keys beside their labels (so a trainee finds them), and the trainer's
 * deliberate MPAN mismatch — otherwise the premises takes the visited job's MPAN/MPRN.
 */
export function TrainingSettings(): React.JSX.Element | null {
  const [view, setView] = useState<TrainingMeterPointView>();
  const [mpan, setMpan] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    void invoke('jobs:trainingMeterPoint').then((r) => r.ok && setView(r.value));
  }, []);
  if (!view?.running) return null;
  const setMismatch = async (value: string | null): Promise<void> => {
    const result = await invoke('jobs:setTrainingMismatch', { mpan: value });
    if (result.ok) {
      setView(result.value);
      setError(undefined);
      setMpan('');
    } else setError(toEngineerError(result.error, { mpan: value }).fields.mpan ?? toEngineerError(result.error).message);
  };
  return (
    <>
      <div className="card">
        <h2>{t('settings.radioKeys')}</h2>
        <p className="hint">{t('settings.radioKeysHint')}</p>
        <table data-testid="training-radio-keys">
          <thead>
            <tr>
              <th scope="col">{t('settings.radioMeter')}</th>
              <th scope="col">{t('settings.radioSecurity')}</th>
              <th scope="col">{t('settings.radioKey')}</th>
            </tr>
          </thead>
          <tbody>
            {(view.radioMeters ?? []).map((m) => (
              <tr key={`${m.manufacturer}-${m.id}`}>
                <td className="mono">
                  {m.manufacturer} {m.id} v{m.version}
                </td>
                <td>{m.security === 0 ? t('settings.radioPlain') : t('settings.radioMode', { mode: m.security })}</td>
                <td className="mono">{m.key ?? t('common.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h2>{t('settings.meterPoint')}</h2>
        <p data-testid="training-meter-point">
          {t(view.source === 'trainer' ? 'settings.meterPointTrainer' : view.source === 'job' ? 'settings.meterPointJob' : 'settings.meterPointPremises', {
            mpan: view.mpan ?? '',
          })}
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void setMismatch(mpan.trim());
          }}
        >
          <div className="row">
            <Field id="trainer-mpan" label={t('settings.trainerMpan')} error={error}>
              {(control) => <input {...control} inputMode="numeric" value={mpan} onChange={(e) => setMpan(e.target.value)} />}
            </Field>
            <button type="submit">{t('settings.trainerSet')}</button>
            {view.trainerMpan ? (
              <button type="button" onClick={() => void setMismatch(null)}>
                {t('settings.trainerClear')}
              </button>
            ) : null}
          </div>
        </form>
      </div>
    </>
  );
}
