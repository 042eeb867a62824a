import { useEffect, useMemo, useState } from 'react';
import { ADAPTER_CAPABILITIES } from '../../../src-shared/model/han-adapters';
import { t } from '../../i18n/i18n';
import { useApp } from '../../stores/app-store';
import { subscribeDiagnostics, useDiagnostics } from '../../stores/diagnostics-store';
import { DongleChoice, useZigbeeDongles, type ChosenDongle } from './dongle-choice';
import { EnergyChart, EnergyTable } from './energy-chart';
import { LinkQualityTable } from './link-quality';
import { NetworkMapView } from './network-map';
import { SurveyPanel } from './survey-panel';
import './diagnostics.css';

/** Energy scans: chart, table, recommendation. */
function EnergySection({ dongle }: { dongle: ChosenDongle }): React.JSX.Element {
  const { energy, busy, errors, energyScan, clearEnergy } = useDiagnostics();
  return (
    <section className="card" aria-labelledby="energy-title">
      <h2 id="energy-title">{t('diag.energy.title')}</h2>
      <p className="hint">{t('diag.energy.intro')}</p>
      <div className="row">
        <button type="button" className="primary" disabled={busy.energy || dongle.blocked !== undefined} onClick={() => void energyScan(dongle.value)}>
          {busy.energy ? t('diag.energy.scanning') : energy?.scans ? t('diag.energy.scanAgain') : t('diag.energy.scan')}
        </button>
        <button type="button" disabled={busy.energy || !energy?.scans} onClick={() => void clearEnergy()}>
          {t('diag.energy.clear')}
        </button>
        {dongle.blocked ? <span className="hint">{dongle.blocked}</span> : null}
      </div>
      {errors.energy ? (
        <p className="field-error" role="alert">
          {errors.energy}
        </p>
      ) : null}
      {energy?.latest?.note ? (
        <p className="notice-inline" role="status">
          {energy.latest.note}
        </p>
      ) : null}
      {energy && energy.scans > 0 ? (
        <>
          {energy.recommendation ? (
            <p data-testid="energy-recommendation">
              <strong>{t('diag.energy.recommended', { channel: energy.recommendation.channel })}</strong> {energy.recommendation.reason}
            </p>
          ) : null}
          <EnergyChart energy={energy} />
          <p className="hint">{t('diag.energy.legend')}</p>
          <EnergyTable energy={energy} />
        </>
      ) : null}
    </section>
  );
}

/** Our own network: link quality per device and the map. */
function NetworkSection(): React.JSX.Element {
  const { links, tables, map, training, busy, errors, loadLinks, checkPresence, impair, readTables, loadMap } = useDiagnostics();
  useEffect(() => {
    void loadLinks();
  }, [loadLinks]);
  return (
    <section className="card" aria-labelledby="links-title">
      <h2 id="links-title">{t('diag.links.title')}</h2>
      <p className="hint">{t('diag.links.intro')}</p>
      <div className="row">
        <button type="button" disabled={busy.links} onClick={() => void loadLinks()}>
          {t('diag.links.refresh')}
        </button>
        <button type="button" disabled={busy.links || links.length === 0} onClick={() => void checkPresence()}>
          {busy.links ? t('diag.links.checking') : t('diag.links.check')}
        </button>
        <button type="button" className="primary" disabled={busy.map} onClick={() => void loadMap()}>
          {busy.map ? t('diag.map.reading') : t('diag.map.read')}
        </button>
      </div>
      {errors.links ? (
        <p className="field-error" role="alert">
          {errors.links}
        </p>
      ) : null}
      {errors.map ? (
        <p className="field-error" role="alert">
          {errors.map}
        </p>
      ) : null}
      {links.length === 0 ? (
        <p>{t('diag.links.empty')}</p>
      ) : (
        <LinkQualityTable
          links={links}
          tables={tables}
          busy={busy.links === true}
          onReadTables={(eui64) => void readTables(eui64)}
          {...(training ? { onImpair: (eui64: string, action: 'worsen' | 'drop') => void impair(eui64, action) } : {})}
        />
      )}
      {map ? (
        <>
          <h3>{t('diag.map.title')}</h3>
          <p className="hint">{t('diag.map.legend')}</p>
          <NetworkMapView map={map} />
        </>
      ) : null}
    </section>
  );
}

/** Diagnostics: RF survey (energy and beacons, never joining), positions in the job, and our network's links. */
export function DiagnosticsScreen(): React.JSX.Element {
  const jobId = useApp((s) => s.currentJobId);
  const refresh = useDiagnostics((s) => s.refresh);
  const dongles = useZigbeeDongles();
  const [selected, setSelected] = useState<string | undefined>(undefined);
  useEffect(() => {
    void refresh();
    return subscribeDiagnostics();
  }, [refresh]);
  const chosen = useMemo((): ChosenDongle => {
    const found = dongles.find((d) => d.id === selected) ?? dongles[0];
    if (!found) return { value: undefined, blocked: t('diag.dongle.noneBlocked') };
    const caps = ADAPTER_CAPABILITIES[found.adapter];
    if (caps.energyScan === 'no' && caps.beaconScan === 'no') return { value: found, blocked: t('diag.dongle.cannotScan', { label: caps.label }) };
    return { value: { adapter: found.adapter, path: found.path } };
  }, [dongles, selected]);
  return (
    <section aria-labelledby="screen-title" className="diagnostics">
      <h1 id="screen-title">{t('screen.diagnostics.title')}</h1>
      <p>{t('diag.intro')}</p>
      <DongleChoice selected={selected ?? dongles[0]?.id} onSelect={setSelected} />
      <EnergySection dongle={chosen} />
      <SurveyPanel dongle={chosen} jobId={jobId} />
      <NetworkSection />
    </section>
  );
}
