import { ENGINEER_LOCALES, type EngineerLocale } from '../../../src-shared/model/engineer-locale';
import { Field } from '../../components/field';
import { exampleDateTime, formatDateTime } from '../../i18n/format';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { useApp } from '../../stores/app-store';

/** The engineer's locale for dates, times and numbers; each choice shows how it writes one date. */
export function LocaleSetting(): React.JSX.Element {
  const { locale, setLocale } = useApp();
  return (
    <div className="card">
      <h2>{t('settings.locale')}</h2>
      <Field id="settings-locale" label={t('settings.localeLabel')} hint={t('settings.localeHint')}>
        {(control) => (
          <select {...control} value={locale} onChange={(e) => setLocale(e.target.value as EngineerLocale)}>
            {ENGINEER_LOCALES.map((name) => (
              <option key={name} value={name}>
                {t(`settings.locale.${name}` as MessageKey, { example: exampleDateTime(name) })}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p data-testid="locale-now">{t('settings.localeNow', { now: formatDateTime(Date.now(), { offset: true }) })}</p>
    </div>
  );
}
