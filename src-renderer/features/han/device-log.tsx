import { parseInstallCode } from '../../../src-shared/model/install-code';
import type { JobView } from '../../../src-shared/ipc/channels/jobs';
import type { DeviceType } from '../../../src-shared/model/job';
import type { HanView } from '../../../src-shared/ipc/channels/han';
import { ActionButton } from '../../components/field';
import { t } from '../../i18n/i18n';
import { useHan } from '../../stores/han-store';
import { useState } from 'react';

/** The HAN device log: install codes or labels typed or scanned (the CRC checked, never fixed) and the entries with their link keys. */

function InstallCodeHint(props: { text: string }): React.JSX.Element | null {
  if (props.text.trim() === '') return null;
  const parsed = parseInstallCode(props.text);
  if (!parsed.ok) {
    return (
      <div id="han-code-hint" className="status-bad" data-testid="han-code-validation">
        {parsed.error.message}
        {parsed.error.expectedCrc ? (
          <details className="hint">
            <summary>{t('han.log.diagnostic')}</summary>
            <span data-testid="crc-diagnostic">{t('han.log.computedCrc', { crc: parsed.error.expectedCrc })}</span>
          </details>
        ) : null}
      </div>
    );
  }
  const v = parsed.value;
  return (
    <p id="han-code-hint" className="status-ok" data-testid="han-code-validation">
      {t(v.crcSupplied ? 'han.log.valid' : 'han.log.validComputed', { crc: v.crc, bytes: v.installCode.length / 2, eui64: v.ieee ?? t('han.log.noEui') })}
    </p>
  );
}

/** The device log's entry form: a typed or scanned label or code, the device's type for the job, Enter adds it. */
function DeviceLogForm(props: { job: JobView | undefined; code: string; setCode(code: string): void }): React.JSX.Element {
  const { addDevice, lastAdded } = useHan();
  const { code, setCode, job } = props;
  const [eui64, setEui64] = useState('');
  const expected = job?.devices.filter((d) => d.eui64 === undefined) ?? [];
  const [type, setType] = useState<DeviceType | ''>('');
  const chosenType = type || expected[0]?.type || 'OTHER';
  const submit = async (): Promise<void> => {
    if (await addDevice(code, eui64 || undefined, chosenType)) {
      setCode('');
      setEui64('');
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="row">
        <div className="field">
          <label htmlFor="han-code">{t('han.log.code')}</label>
          {/* A keyboard-wedge scanner types the label quickly and ends with Enter, which submits this form. */}
          <input
            id="han-code"
            className="mono"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-describedby="han-code-hint"
            autoComplete="off"
            spellCheck={false}
          />
          <InstallCodeHint text={code} />
        </div>
        <div className="field">
          <label htmlFor="han-eui">{t('han.log.eui64')}</label>
          <input id="han-eui" className="mono" value={eui64} onChange={(e) => setEui64(e.target.value.trim())} autoComplete="off" spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="han-type">{t('han.log.type')}</label>
          <select id="han-type" value={chosenType} onChange={(e) => setType(e.target.value as DeviceType)}>
            {HAN_LOG_TYPES.map((name) => (
              <option key={name} value={name}>
                {expected.some((d) => d.type === name) ? t('han.log.typeExpected', { type: name }) : name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ActionButton type="submit" disabledReason={code.trim() === '' ? t('han.log.addWhy') : undefined}>
        {t('han.log.add')}
      </ActionButton>
      {lastAdded ? <p data-testid="han-last-added">{t('han.log.added', { eui64: lastAdded.eui64, crc: lastAdded.crc, linkKey: lastAdded.linkKey })}</p> : null}
    </form>
  );
}

const HAN_LOG_TYPES: readonly DeviceType[] = ['ESME', 'GSME', 'IHD', 'PPMID', 'OTHER'];

/** The device log card: how many entries, the entry form and the entries with their link keys. */
export function DeviceLogCard(props: { view: HanView | undefined; job: JobView | undefined; code: string; setCode(code: string): void }): React.JSX.Element {
  const { view, job, code, setCode } = props;
  const removeDevice = useHan((s) => s.removeDevice);
  return (
    <div className="card">
      <h2>{t('han.log.title')}</h2>
      <p>
        {t('han.log.count', { count: view?.deviceLog.length ?? 0 })} · {t('han.log.scanHint')}
      </p>
      <DeviceLogForm job={job} code={code} setCode={setCode} />
      {view && view.deviceLog.length > 0 ? (
        <table data-testid="han-device-log">
          <thead>
            <tr>
              <th scope="col">{t('han.log.eui64Column')}</th>
              <th scope="col">{t('han.log.crc')}</th>
              <th scope="col">{t('han.log.linkKey')}</th>
              <th scope="col">{t('han.log.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {view.deviceLog.map((entry) => (
              <tr key={entry.eui64}>
                <td className="mono">{entry.eui64}</td>
                <td className="mono">
                  {entry.crc} {entry.crcSupplied ? '' : t('han.log.computed')}
                </td>
                <td className="mono">{entry.linkKey}</td>
                <td>
                  <button type="button" onClick={() => void removeDevice(entry.eui64)} aria-label={t('han.log.removeLabel', { eui64: entry.eui64 })}>
                    {t('han.log.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
