import { useEffect, useRef, useState } from 'react';
import { formatTime } from '../../i18n/format';
import { normaliseHubId } from '../../../src-shared/model/rf-survey';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { useDiagnostics } from '../../stores/diagnostics-store';
import type { ChosenDongle } from './dongle-choice';
import { lqiClass } from './link-quality';

const hex4 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Survey mode: beacon scans (never joining), the networks heard, the Comms Hub picked out by its printed ID, and
 * its signal recorded at named positions in the open job.
 */
export function SurveyPanel({ dongle, jobId }: { dongle: ChosenDongle; jobId: string | undefined }): React.JSX.Element {
  const { survey, positions, busy, errors, beaconScan, recordPosition, loadPositions } = useDiagnostics();
  const [hubText, setHubText] = useState('');
  const [position, setPosition] = useState('');
  const [listening, setListening] = useState(false);
  const listeningRef = useRef(false);
  const hubId = normaliseHubId(hubText);
  // RSSI gets a column only where the adapter reports it (Z-Stack's beacon notify carries none).
  const rssiReported = (survey?.networks ?? []).some((n) => n.rssi !== null);

  useEffect(() => {
    if (jobId) void loadPositions(jobId);
  }, [jobId, loadPositions]);

  // Keep listening: one scan after another until the engineer stops (or a scan fails).
  useEffect(() => {
    listeningRef.current = listening;
    if (!listening) return;
    let cancelled = false;
    void (async () => {
      while (!cancelled && listeningRef.current) {
        if (!(await beaconScan(dongle.value))) break;
      }
      if (!cancelled) setListening(false);
    })();
    return () => {
      cancelled = true;
    };
  }, [listening, beaconScan, dongle.value]);

  const recordBlocked = !jobId
    ? t('diag.position.needJob')
    : !hubId
      ? t('diag.position.needHub')
      : !survey?.lastScanMs
        ? t('diag.position.needScan')
        : undefined;

  return (
    <section className="card" aria-labelledby="survey-title">
      <h2 id="survey-title">{t('diag.survey.title')}</h2>
      <p className="hint">{t('diag.survey.intro')}</p>
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={busy.survey || listening || dongle.blocked !== undefined}
          onClick={() => void beaconScan(dongle.value)}
        >
          {busy.survey ? t('diag.survey.scanning') : t('diag.survey.scan')}
        </button>
        <label className="row">
          <input type="checkbox" checked={listening} disabled={dongle.blocked !== undefined} onChange={(e) => setListening(e.target.checked)} />
          {t('diag.survey.keepListening')}
        </label>
        {survey?.lastScanMs ? (
          <span className="hint" role="status">
            {t('diag.survey.lastScan', { count: survey.lastHeard ?? 0, time: formatTime(survey.lastScanMs, { seconds: true }) })}
          </span>
        ) : null}
      </div>
      {errors.survey ? (
        <p className="field-error" role="alert">
          {errors.survey}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="hub-id">{t('diag.survey.hubId')}</label>
        <input id="hub-id" className="mono" value={hubText} onChange={(e) => setHubText(e.target.value)} aria-describedby="hub-id-hint" autoComplete="off" />
        <span id="hub-id-hint" className={hubText && !hubId ? 'field-error' : 'hint'}>
          {hubText && !hubId ? t('diag.survey.hubIdInvalid') : t('diag.survey.hubIdHint')}
        </span>
      </div>
      {survey && survey.networks.length > 0 && !rssiReported ? <p className="hint">{t('diag.links.rssiNotReported')}</p> : null}
      <table data-testid="survey-table">
        <caption>{t('diag.survey.caption', { count: survey?.networks.length ?? 0 })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('diag.survey.extendedPanId')}</th>
            <th scope="col">{t('diag.energy.channel')}</th>
            <th scope="col">{t('diag.survey.panId')}</th>
            <th scope="col">{t('diag.survey.permitJoin')}</th>
            <th scope="col">{t('diag.survey.capacity')}</th>
            <th scope="col">{t('diag.links.lqi')}</th>
            {rssiReported ? <th scope="col">{t('diag.links.rssi')}</th> : null}
            <th scope="col">{t('diag.survey.heard')}</th>
          </tr>
        </thead>
        <tbody>
          {(survey?.networks ?? []).map((n) => {
            const isHub = hubId !== undefined && n.extendedPanId === hubId;
            return (
              <tr
                key={`${n.extendedPanId}:${n.panId}:${n.channel}:${n.source ?? 0}`}
                className={isHub ? 'row-highlight' : undefined}
                data-hub={isHub ? 'true' : undefined}
              >
                <th scope="row" className="mono">
                  {n.extendedPanId} {n.source ? <span className="hint">{t('diag.survey.viaRouter', { nwk: hex4(n.source) })}</span> : null}{' '}
                  {isHub ? <span className="badge">{t('diag.survey.isHub')}</span> : null}
                </th>
                <td>{n.channel}</td>
                <td className="mono">{hex4(n.panId)}</td>
                <td>{n.permitJoin ? t('diag.survey.open') : t('diag.survey.closed')}</td>
                <td>
                  {t('diag.survey.capacityValue', {
                    routers: n.routerCapacity ? t('diag.yes') : t('diag.no'),
                    devices: n.deviceCapacity ? t('diag.yes') : t('diag.no'),
                  })}
                </td>
                <td className={`mono ${lqiClass(n.lqi)}-text`}>{n.lqi ?? t('common.none')}</td>
                {rssiReported ? <td className="mono">{n.rssi === null ? t('common.none') : `${n.rssi} dBm`}</td> : null}
                <td>{t('diag.survey.timesHeard', { count: n.timesHeard, time: formatTime(n.lastHeardMs, { seconds: true }) })}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>{t('diag.position.title')}</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!jobId || !hubId) return;
          void recordPosition(jobId, position, hubId).then((ok) => ok && setPosition(''));
        }}
      >
        <div className="field">
          <label htmlFor="position-name">{t('diag.position.name')}</label>
          <input
            id="position-name"
            value={position}
            onChange={(e) => setPosition(e.target.value)}
            placeholder={t('diag.position.placeholder')}
            list="position-names"
          />
          <datalist id="position-names">
            {['meter cupboard', 'kitchen', 'living room', 'hallway', 'upstairs landing', 'garage'].map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </div>
        <button type="submit" disabled={recordBlocked !== undefined || busy.position || position.trim() === ''} aria-describedby="position-why">
          {t('diag.position.record')}
        </button>
        <span id="position-why" className="hint">
          {recordBlocked ?? (position.trim() === '' ? t('diag.position.needName') : '')}
        </span>
      </form>
      {errors.position ? (
        <p className="field-error" role="alert">
          {errors.position}
        </p>
      ) : null}
      <table data-testid="positions-table">
        <caption>{t('diag.position.caption', { count: positions.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('diag.position.name')}</th>
            <th scope="col">{t('diag.position.signal')}</th>
            <th scope="col">{t('diag.position.verdict')}</th>
            <th scope="col">{t('diag.position.note')}</th>
          </tr>
        </thead>
        <tbody>
          {positions.map((p, i) => (
            <tr key={`${p.position}-${i}`}>
              <th scope="row">{p.position}</th>
              <td className="mono">
                {p.heard
                  ? t('diag.position.signalValue', { lqi: p.lqi ?? '—', rssi: p.rssi === null ? t('diag.links.notReported') : `${p.rssi} dBm` })
                  : t('diag.position.notHeard')}
              </td>
              <td className={`verdict-${p.verdict}`}>
                {t(`diag.verdict.${p.verdict}` as MessageKey)} {p.basis !== 'none' ? t(`diag.basis.${p.basis}` as MessageKey) : ''}
              </td>
              <td>{p.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
