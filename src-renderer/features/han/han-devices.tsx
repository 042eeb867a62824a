import { useState } from 'react';
import type { JobView } from '../../../src-shared/ipc/channels/jobs';
import type { HanDevice, MeteringReading } from '../../../src-shared/model/han';
import { ActionButton } from '../../components/field';
import { formatNumber, formatTime } from '../../i18n/format';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { useHan } from '../../stores/han-store';

const METER_TYPES: readonly string[] = ['ESME', 'GSME', 'Metering'];

function ReadingText(props: { reading: MeteringReading | { error: string } | undefined }): React.JSX.Element {
  const r = props.reading;
  if (!r) return <>{t('common.none')}</>;
  if ('error' in r) return <span className="status-bad">{r.error}</span>;
  const failed = Object.entries(r.attributes).filter(([, a]) => !a.ok);
  const decimals = r.text.includes('.') ? r.text.split('.')[1]!.length : 0;
  return (
    <span data-testid="han-reading">
      {formatNumber(r.value, { minimumFractionDigits: decimals, maximumFractionDigits: decimals })} {r.unit}
      {failed.map(([name, a]) => (
        <span key={name} className="hint">
          {' '}
          {name}: {a.ok ? '' : a.error}
        </span>
      ))}
    </span>
  );
}

/** The type the job gives a device (known before its interview) or the one the interview found. */
function typeOf(device: HanDevice, job: JobView | undefined): string {
  const onJob = job?.devices.find((d) => d.eui64 === device.eui64);
  if (device.type !== 'Unknown') return device.type;
  return onJob ? onJob.type : t('han.devices.typeUnknown');
}

function PairControls(props: { ihd: HanDevice; meters: readonly HanDevice[]; job: JobView | undefined }): React.JSX.Element {
  const { pair, unpair, pairing, busy } = useHan();
  const [chosen, setChosen] = useState('');
  const { ihd, meters, job } = props;
  // The selection shown is the selection used: the first meter until the engineer picks another.
  const meter = meters.some((m) => m.eui64 === chosen) ? chosen : (meters[0]?.eui64 ?? '');
  const pairResult = pairing[ihd.eui64];
  const paired = job?.pairings.filter((p) => p.ihd === ihd.eui64) ?? (ihd.pairedWith ? [{ ihd: ihd.eui64, meter: ihd.pairedWith }] : []);
  const reason = meters.length === 0 ? t('han.pair.noMeter') : busy ? t('han.pair.busy') : undefined;
  return (
    <div className="pair-controls">
      <div className="row">
        <label htmlFor={`pair-${ihd.eui64}`}>{t('han.pair.meter')}</label>
        <select id={`pair-${ihd.eui64}`} value={meter} onChange={(e) => setChosen(e.target.value)} disabled={meters.length === 0}>
          {meters.map((m) => (
            <option key={m.eui64} value={m.eui64}>
              {typeOf(m, job)} {m.eui64}
            </option>
          ))}
        </select>
        <ActionButton disabledReason={reason} onClick={() => void pair(meter, ihd.eui64)}>
          {t('han.pair.button')}
        </ActionButton>
      </div>
      {pairResult ? (
        <p className={pairResult.ihdConfirmed && pairResult.bindingConfirmed ? 'status-ok' : 'status-bad'} data-testid="han-pairing">
          {pairResult.ihdConfirmed && pairResult.bindingConfirmed
            ? t('han.pair.proven', { reports: pairResult.ihdReportsReceived })
            : t('han.pair.notProven', { error: pairResult.error ?? '' })}
        </p>
      ) : null}
      {paired.map((p) => {
        const type = meters.find((m) => m.eui64 === p.meter);
        return (
          <p key={p.meter} className="status-ok">
            {t('han.pair.pairedWith', { meter: `${type ? typeOf(type, job) : ''} ${p.meter}`.trim() })}{' '}
            <button type="button" onClick={() => void unpair(p.meter, ihd.eui64)} aria-label={t('han.pair.unpairLabel', { meter: p.meter })}>
              {t('han.pair.unpair')}
            </button>
          </p>
        );
      })}
    </div>
  );
}

function DeviceRow(props: { device: HanDevice; meters: readonly HanDevice[]; job: JobView | undefined }): React.JSX.Element {
  const { read, readings } = useHan();
  const { device: d, job } = props;
  const type = typeOf(d, job);
  const isMeter = METER_TYPES.includes(d.type) || (d.type === 'Unknown' && (type === 'ESME' || type === 'GSME'));
  const onJob = job === undefined || job.devices.some((j) => j.eui64 === d.eui64);
  return (
    <tr data-testid={`han-device-${d.eui64}`}>
      <td>
        {type}
        {!onJob ? <div className="status-bad">{t('han.devices.notOnJob')}</div> : null}
      </td>
      <td className="mono">{d.eui64}</td>
      <td>
        <span
          className={d.state === 'ready' ? 'status-ok' : d.state === 'failed' || d.state === 'refused' ? 'status-bad' : undefined}
          data-testid="han-device-state"
        >
          {t(`han.state.${d.state}` as MessageKey)}
        </span>
        <details>
          <summary>{t('han.devices.timeline')}</summary>
          <ol>
            {d.timeline.map((e, i) => (
              <li key={i}>
                {formatTime(e.atMs, { seconds: true })} {t(`han.state.${e.state}` as MessageKey)}
                {e.reason ? ` — ${e.reason}` : ''}
              </li>
            ))}
          </ol>
        </details>
      </td>
      <td>
        {d.lqi ?? t('common.none')}
        <div className="hint">{d.lastSeenMs ? formatTime(d.lastSeenMs, { seconds: true }) : t('common.none')}</div>
      </td>
      <td>
        <ReadingText reading={readings[d.eui64] ?? d.reading} />
      </td>
      <td>
        {isMeter ? (
          <ActionButton
            disabledReason={d.state === 'ready' ? undefined : t('han.devices.readWhenReady')}
            onClick={() => void read(d.eui64)}
            aria-label={t('han.devices.readLabel', { eui64: d.eui64 })}
          >
            {t('han.devices.read')}
          </ActionButton>
        ) : null}
        {type === 'IHD' ? (
          d.state === 'ready' ? (
            <PairControls ihd={d} meters={props.meters} job={job} />
          ) : (
            <span className="hint">{t('han.pair.whenReady')}</span>
          )
        ) : null}
      </td>
    </tr>
  );
}

/** The network's devices: near the top of the HAN screen, every action visible. */
export function HanDevices(props: { devices: readonly HanDevice[]; job: JobView | undefined }): React.JSX.Element {
  const refreshLqi = useHan((s) => s.refreshLqi);
  const meters = props.devices.filter((d) => METER_TYPES.includes(d.type) && d.state === 'ready');
  return (
    <div className="card">
      <div className="row">
        <h2>{t('han.devices.title')}</h2>
        <button type="button" onClick={() => void refreshLqi()}>
          {t('han.devices.refreshLqi')}
        </button>
      </div>
      {props.devices.length > 0 ? (
        <table data-testid="han-devices" className="han-devices">
          <thead>
            <tr>
              <th scope="col">{t('han.devices.type')}</th>
              <th scope="col">{t('han.log.eui64Column')}</th>
              <th scope="col">{t('han.devices.state')}</th>
              <th scope="col">
                {t('han.devices.lqi')} · {t('han.devices.lastSeen')}
              </th>
              <th scope="col">{t('han.devices.reading')}</th>
              <th scope="col">{t('han.log.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.devices.map((d) => (
              <DeviceRow key={d.eui64} device={d} meters={meters} job={props.job} />
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('han.devices.none')}</p>
      )}
    </div>
  );
}
