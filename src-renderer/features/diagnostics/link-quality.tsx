import { useState } from 'react';
import { formatTime } from '../../i18n/format';
import type { DeviceLink, DeviceTables, LinkSample } from '../../../src-shared/model/han-links';
import { SIGNAL_THRESHOLDS } from '../../../src-shared/model/rf-survey';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';

/** LQI colour class, on the same thresholds as the survey verdicts (docs/han-diagnostics.md). */
export function lqiClass(lqi: number | null): 'lqi-good' | 'lqi-fair' | 'lqi-poor' | 'lqi-none' {
  if (lqi === null) return 'lqi-none';
  return lqi >= SIGNAL_THRESHOLDS.lqiStrong ? 'lqi-good' : lqi <= SIGNAL_THRESHOLDS.lqiPoor ? 'lqi-poor' : 'lqi-fair';
}

/** The LQI history as a small line (decorative: the trend word and figures beside it say the same). */
function Sparkline({ history }: { history: readonly LinkSample[] }): React.JSX.Element | null {
  if (history.length < 2) return null;
  const w = 80;
  const h = 28;
  const points = history.map((s, i) => `${((i / (history.length - 1)) * w).toFixed(1)},${(h - (s.lqi / 255) * h).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" viewBox={`0 0 ${w} ${h}`} width={w} height={h} aria-hidden="true">
      <polyline className={lqiClass(history[history.length - 1]!.lqi)} points={points} />
    </svg>
  );
}

function time(ms: number | null): string {
  return ms === null ? t('common.none') : formatTime(ms, { seconds: true });
}

/** Per-device link quality on our own network, with Mgmt_Lqi/Mgmt_Rtg read on demand. */
export function LinkQualityTable(props: {
  links: readonly DeviceLink[];
  tables: Readonly<Record<string, DeviceTables>>;
  busy: boolean;
  onReadTables: (eui64: string) => void;
  /** Training premises only: impair a device's emulated link. */
  onImpair?: (eui64: string, action: 'worsen' | 'drop') => void;
}): React.JSX.Element {
  // RSSI gets a column only where the adapter reports it; otherwise one line says so (never estimated from LQI).
  const rssiReported = props.links.some((l) => l.rssi !== null);
  return (
    <>
      <LinkActions {...props} />
      {rssiReported ? null : <p className="hint">{t('diag.links.rssiNotReported')}</p>}
      <table data-testid="link-table">
        <caption>{t('diag.links.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('diag.links.device')}</th>
            <th scope="col">{t('diag.links.lqi')}</th>
            {rssiReported ? <th scope="col">{t('diag.links.rssi')}</th> : null}
            <th scope="col">{t('diag.links.trend')}</th>
            <th scope="col">{t('diag.links.lastSeen')}</th>
            <th scope="col">{t('diag.links.counts')}</th>
            <th scope="col">{t('diag.links.presence')}</th>
          </tr>
        </thead>
        <tbody>
          {props.links.map((link) => (
            <tr key={link.eui64} data-eui64={link.eui64}>
              <th scope="row">
                <span className="badge">{link.type}</span> <span className="mono">{link.eui64}</span>
              </th>
              <td data-testid="link-lqi">
                <span className={`mono ${lqiClass(link.lqi)}-text`}>{link.lqi ?? t('common.none')}</span>
                {link.via ? (
                  <span className="hint"> {t('diag.links.via', { router: props.links.find((l) => l.eui64 === link.via)?.type ?? link.via })}</span>
                ) : null}
              </td>
              {rssiReported ? <td className="mono">{link.rssi === null ? t('common.none') : `${link.rssi} dBm`}</td> : null}
              <td data-testid="link-trend">
                <Sparkline history={link.history} /> {t(`diag.trend.${link.trend}` as MessageKey)}
              </td>
              <td>{time(link.lastSeenMs)}</td>
              <td>
                {t('diag.links.countsValue', {
                  messages: link.messages,
                  leaves: link.leaves,
                  rejoins: link.rejoins,
                  retries: link.retries === null ? t('diag.links.notReported') : link.retries,
                })}
              </td>
              <td data-testid="link-presence">{t(`diag.presence.${link.presence}` as MessageKey)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {Object.values(props.tables).map((tables) => (
        <DeviceTablesView key={tables.eui64} tables={tables} />
      ))}
    </>
  );
}

/** One device chosen, then its tables read (or, on the training premises, its emulated link impaired). */
function LinkActions(props: {
  links: readonly DeviceLink[];
  busy: boolean;
  onReadTables: (eui64: string) => void;
  onImpair?: (eui64: string, action: 'worsen' | 'drop') => void;
}): React.JSX.Element {
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const eui64 = props.links.find((l) => l.eui64 === chosen)?.eui64 ?? props.links[0]?.eui64;
  return (
    <div className="row">
      <div className="field">
        <label htmlFor="link-device">{t('diag.links.device')}</label>
        <select id="link-device" value={eui64 ?? ''} onChange={(e) => setChosen(e.target.value)}>
          {props.links.map((l) => (
            <option key={l.eui64} value={l.eui64}>
              {l.type} {l.eui64}
            </option>
          ))}
        </select>
      </div>
      <button type="button" disabled={props.busy || !eui64} onClick={() => eui64 && props.onReadTables(eui64)}>
        {t('diag.links.readTables')}
      </button>
      {props.onImpair ? (
        <>
          <button type="button" disabled={props.busy || !eui64} onClick={() => eui64 && props.onImpair?.(eui64, 'worsen')}>
            {t('diag.training.worsen')}
          </button>
          <button type="button" disabled={props.busy || !eui64} onClick={() => eui64 && props.onImpair?.(eui64, 'drop')}>
            {t('diag.training.drop')}
          </button>
          <span className="hint">{t('diag.training.hint')}</span>
        </>
      ) : null}
    </div>
  );
}

function DeviceTablesView({ tables }: { tables: DeviceTables }): React.JSX.Element {
  return (
    <div className="card" data-testid={`tables-${tables.eui64}`}>
      <h4>{t('diag.tables.title', { eui64: tables.eui64, time: time(tables.readAtMs) })}</h4>
      <table>
        <caption>{t('diag.tables.neighbours', { count: tables.neighbours.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('diag.links.device')}</th>
            <th scope="col">{t('diag.tables.nwk')}</th>
            <th scope="col">{t('diag.tables.type')}</th>
            <th scope="col">{t('diag.map.relationship')}</th>
            <th scope="col">{t('diag.tables.depth')}</th>
            <th scope="col">{t('diag.links.lqi')}</th>
          </tr>
        </thead>
        <tbody>
          {tables.neighbours.map((n) => (
            <tr key={n.eui64}>
              <td className="mono">{n.eui64}</td>
              <td className="mono">0x{n.nwkAddress.toString(16).toUpperCase().padStart(4, '0')}</td>
              <td>{n.deviceType}</td>
              <td>{n.relationship}</td>
              <td>{n.depth}</td>
              <td className={`mono ${lqiClass(n.lqi)}-text`}>{n.lqi}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>{t('diag.tables.routes', { count: tables.routes.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('diag.tables.destination')}</th>
            <th scope="col">{t('diag.tables.nextHop')}</th>
            <th scope="col">{t('diag.tables.status')}</th>
          </tr>
        </thead>
        <tbody>
          {tables.routes.map((r) => (
            <tr key={`${r.destination}-${r.nextHop}`}>
              <td className="mono">0x{r.destination.toString(16).toUpperCase().padStart(4, '0')}</td>
              <td className="mono">0x{r.nextHop.toString(16).toUpperCase().padStart(4, '0')}</td>
              <td>{r.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
