import type { HanAdapterType } from '../../../src-shared/model/han-adapters';
import { ADAPTER_CAPABILITIES } from '../../../src-shared/model/han-adapters';
import { t } from '../../i18n/i18n';
import { useDongles } from '../../stores/dongles-store';

const ADAPTERS = new Set<string>(Object.keys(ADAPTER_CAPABILITIES));

/** The dongle scans go to; `blocked` says why scanning cannot start. */
export interface ChosenDongle {
  readonly value: { adapter: HanAdapterType; path: string } | undefined;
  readonly blocked?: string;
}

/** ZigBee coordinators from the dongle list (real and the training premises' emulated one). */
export function useZigbeeDongles(): { id: string; label: string; adapter: HanAdapterType; path: string }[] {
  const dongles = useDongles((s) => s.dongles);
  return dongles
    .filter((d) => d.classification.kind === 'zigbee-coordinator' && d.classification.driver && ADAPTERS.has(d.classification.driver))
    .map((d) => ({ id: d.id, label: `${d.classification.label} (${d.path})`, adapter: d.classification.driver as HanAdapterType, path: d.path }));
}

export function DongleChoice(props: { selected: string | undefined; onSelect: (id: string) => void }): React.JSX.Element {
  const options = useZigbeeDongles();
  return (
    <div className="field">
      <label htmlFor="diag-dongle">{t('diag.dongle.label')}</label>
      <select id="diag-dongle" value={props.selected ?? ''} onChange={(e) => props.onSelect(e.target.value)} aria-describedby="diag-dongle-hint">
        {options.length === 0 ? <option value="">{t('diag.dongle.none')}</option> : null}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
      <span id="diag-dongle-hint" className="hint">
        {t('diag.dongle.hint')}
      </span>
    </div>
  );
}
