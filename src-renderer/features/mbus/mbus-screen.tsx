import { formatNumber, formatTime } from '../../i18n/format';
import { useEffect, useState } from 'react';
import type { HeardMeterView, MbusMeterView, TelegramView } from '../../../src-shared/ipc/channels/mbus';
import { ServiceProblems } from '../../components/service-problems';
import { t } from '../../i18n/i18n';
import { useApp } from '../../stores/app-store';
import { useJobs } from '../../stores/jobs-store';
import { subscribeMbus, useMbus } from '../../stores/mbus-store';
import './mbus.css';

function formatValue(value: number | string | null, unit: string): string {
  if (value === null) return t('common.none');
  return unit ? `${String(value)} ${unit}` : String(value);
}

function securityText(tg: TelegramView): string {
  if (!tg.encrypted) return t('mbus.telegram.plain');
  if (!tg.decrypted) return t('mbus.telegram.notDecrypted', { reason: tg.reason ?? '' });
  return tg.decryptionCheck === 'plaintext-markers' ? t('mbus.telegram.decryptedMarkersOnly') : t('mbus.telegram.decrypted');
}

/** What the walk-by list says about a meter's data: decrypted, locked, or only its header (and why). */
function heardState(h: HeardMeterView): string {
  if (h.encrypted) return h.decrypted ? t('mbus.wireless.decrypted') : t('mbus.wireless.locked');
  const undecoded = h.lastTelegram.undecoded;
  if (undecoded && h.lastTelegram.records.length === 0) return t('mbus.wireless.notDecoded', { reason: undecoded.reason });
  return t('mbus.wireless.plain');
}

/** The decoded telegram: header, records and every byte with its meaning. */
function TelegramDetail(props: { telegram: TelegramView; index: number }): React.JSX.Element {
  const tg = props.telegram;
  const m = tg.meter;
  return (
    <div className="card" data-testid="mbus-telegram">
      <h3>
        {m
          ? t('mbus.telegram.titleMeter', { manufacturer: m.manufacturer, id: m.id, index: props.index + 1 })
          : t('mbus.telegram.title', { index: props.index + 1 })}
      </h3>
      <p>{securityText(tg)}</p>
      {tg.linkAddress ? <p>{t('mbus.telegram.linkAddress', { manufacturer: tg.linkAddress.manufacturer, id: tg.linkAddress.id })}</p> : null}
      {tg.note ? <p className="warning-text">{t('mbus.telegram.note', { note: tg.note })}</p> : null}
      {tg.undecoded ? (
        <p data-testid="mbus-undecoded">
          {t('mbus.telegram.undecoded', { length: tg.undecoded.length, reason: tg.undecoded.reason })}{' '}
          <span className="mono">{tg.undecoded.hex.match(/../g)?.join(' ')}</span>
        </p>
      ) : null}
      {tg.records.length > 0 ? (
        <table data-testid="mbus-records">
          <caption className="visually-hidden">{t('mbus.records.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('mbus.records.quantity')}</th>
              <th scope="col">{t('mbus.records.value')}</th>
              <th scope="col">{t('mbus.records.storage')}</th>
              <th scope="col">{t('mbus.records.tariff')}</th>
              <th scope="col">{t('mbus.records.function')}</th>
            </tr>
          </thead>
          <tbody>
            {tg.records.map((r) => (
              <tr key={r.offset}>
                <td>{r.quantity}</td>
                <td className="mono">{formatValue(r.value, r.unit)}</td>
                <td>{r.storage}</td>
                <td>{r.tariff}</td>
                <td>{r.function}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <details>
        <summary>{t('mbus.bytes.title', { count: tg.hex.length / 2 })}</summary>
        <table data-testid="mbus-bytes">
          <caption className="visually-hidden">{t('mbus.bytes.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('mbus.bytes.offset')}</th>
              <th scope="col">{t('mbus.bytes.bytes')}</th>
              <th scope="col">{t('mbus.bytes.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            {tg.breakdown.map((b) => (
              <tr key={b.offset}>
                <td className="mono">{b.offset}</td>
                <td className="mono">{b.hex.match(/../g)?.join(' ')}</td>
                <td>{b.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}

/** "Add to job" for a meter; disabled (with the reason in its name) when no job is open. */
function AddToJob(props: { meter: MbusMeterView; wireless: boolean }): React.JSX.Element {
  const jobId = useApp((s) => s.currentJobId);
  const addToJob = useMbus((s) => s.addToJob);
  return (
    <button
      type="button"
      disabled={!jobId}
      onClick={() => jobId && void addToJob(jobId, props.meter, props.wireless)}
      aria-label={t('mbus.job.addMeter', { id: props.meter.id })}
    >
      {t('mbus.job.add')}
    </button>
  );
}

function MeterTable(props: { meters: readonly MbusMeterView[]; testId: string; onRead: (m: MbusMeterView) => void; busy: boolean }): React.JSX.Element {
  return (
    <table data-testid={props.testId}>
      <thead>
        <tr>
          <th scope="col">{t('mbus.meters.primary')}</th>
          <th scope="col">{t('mbus.meters.id')}</th>
          <th scope="col">{t('mbus.meters.manufacturer')}</th>
          <th scope="col">{t('mbus.meters.medium')}</th>
          <th scope="col">{t('mbus.meters.version')}</th>
          <th scope="col">{t('mbus.meters.action')}</th>
        </tr>
      </thead>
      <tbody>
        {props.meters.map((m) => (
          <tr key={`${m.secondary ?? m.id}-${m.primary ?? ''}`}>
            <td>{m.primary ?? t('common.none')}</td>
            <td className="mono">{m.id}</td>
            <td>{m.manufacturer}</td>
            <td>{m.medium}</td>
            <td>{m.version}</td>
            <td>
              <div className="row">
                <button type="button" disabled={props.busy} onClick={() => props.onRead(m)} aria-label={t('mbus.meters.readMeter', { id: m.id })}>
                  {t('mbus.meters.read')}
                </button>
                <AddToJob meter={m} wireless={false} />
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function WirelessList(props: { heard: readonly HeardMeterView[]; selected: string | undefined; onSelect: (key: string) => void }): React.JSX.Element {
  if (props.heard.length === 0) return <p>{t('mbus.wireless.none')}</p>;
  // Five columns (address, medium, last telegram with its signal, data, actions) fit the screen's column at
  // 1366 px; the scroll container stays for narrower windows, so the table never runs under the dongle panel.
  return (
    <div className="table-scroll">
      <table data-testid="mbus-wireless">
        <thead>
          <tr>
            <th scope="col">{t('mbus.wireless.meter')}</th>
            <th scope="col">{t('mbus.meters.medium')}</th>
            <th scope="col">{t('mbus.wireless.lastSeen')}</th>
            <th scope="col">{t('mbus.wireless.state')}</th>
            <th scope="col">{t('mbus.meters.action')}</th>
          </tr>
        </thead>
        <tbody>
          {props.heard.map((h) => (
            <tr key={h.key} aria-selected={props.selected === h.key}>
              <td>
                <span className="mono identifier">{h.meter.id}</span>
                <br />
                {t('mbus.wireless.meterDetail', { manufacturer: h.meter.manufacturer, version: h.meter.version })}
              </td>
              <td>{h.meter.medium}</td>
              <td>
                {t('mbus.wireless.seen', { time: formatTime(h.lastSeen, { seconds: true }), count: h.count })}
                <br />
                {h.rssiDbm !== undefined
                  ? t('mbus.wireless.dbm', { value: formatNumber(h.rssiDbm, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) })
                  : t('mbus.wireless.noRssi')}
              </td>
              <td>{heardState(h)}</td>
              <td>
                <div className="mbus-actions">
                  <button
                    type="button"
                    onClick={() => props.onSelect(h.key)}
                    aria-label={t('mbus.wireless.showMeter', { manufacturer: h.meter.manufacturer, id: h.meter.id })}
                  >
                    {t('mbus.wireless.show')}
                  </button>
                  <AddToJob meter={h.meter} wireless />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function KeyForm(props: { meter: HeardMeterView }): React.JSX.Element {
  const setKey = useMbus((s) => s.setKey);
  const [key, setKeyText] = useState('');
  const valid = /^[0-9A-Fa-f]{32}$/.test(key);
  const m = props.meter.meter;
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void setKey(m, key).then(() => setKeyText(''));
      }}
    >
      <div className="field">
        <label htmlFor="mbus-key">{t('mbus.key.label', { manufacturer: m.manufacturer, id: m.id })}</label>
        <input
          id="mbus-key"
          className="mono"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKeyText(e.target.value.replace(/\s/g, ''))}
          aria-describedby="mbus-key-hint"
        />
        <p id="mbus-key-hint" className="hint">
          {props.meter.hasKey ? t('mbus.key.stored') : t('mbus.key.hint')}
        </p>
      </div>
      <div className="row">
        <button type="submit" disabled={!valid}>
          {t('mbus.key.save')}
        </button>
        {props.meter.hasKey ? (
          <button type="button" onClick={() => void setKey(m, null)}>
            {t('mbus.key.forget')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

const BAUD_RATES = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400];

/** Where the wired master and the stick are: serial ports or tcp://host:port (gateways, serial servers). */
function ConnectionForm(): React.JSX.Element {
  const { connect, busy } = useMbus();
  const [wired, setWired] = useState('');
  const [baud, setBaud] = useState('2400');
  const [stick, setStick] = useState('');
  return (
    <details className="card">
      <summary>{t('mbus.connect.title')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void connect({ wired: { target: wired, baudRate: Number(baud) } });
        }}
      >
        <div className="row">
          <div className="field">
            <label htmlFor="mbus-connect-wired">{t('mbus.connect.wired')}</label>
            <input
              id="mbus-connect-wired"
              className="mono"
              value={wired}
              onChange={(e) => setWired(e.target.value)}
              aria-describedby="mbus-connect-wired-hint"
            />
            <p id="mbus-connect-wired-hint" className="hint">
              {t('mbus.connect.wiredHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor="mbus-connect-baud">{t('mbus.connect.baud')}</label>
            <select id="mbus-connect-baud" value={baud} onChange={(e) => setBaud(e.target.value)}>
              {BAUD_RATES.map((rate) => (
                <option key={rate} value={rate}>
                  {rate}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit" disabled={busy || wired.trim() === ''}>
          {t('mbus.connect.wiredSubmit')}
        </button>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void connect({ wireless: { target: stick } });
        }}
      >
        <div className="field">
          <label htmlFor="mbus-connect-stick">{t('mbus.connect.stick')}</label>
          <input id="mbus-connect-stick" className="mono" value={stick} onChange={(e) => setStick(e.target.value)} />
        </div>
        <button type="submit" disabled={busy || stick.trim() === ''}>
          {t('mbus.connect.stickSubmit')}
        </button>
      </form>
    </details>
  );
}

/** Wired M-Bus scans and reads, the wireless walk-by list with key entry, and a byte-level telegram view. */
export function MbusScreen(): React.JSX.Element {
  const s = useMbus();
  const [from, setFrom] = useState('0');
  const [to, setTo] = useState('250');
  const [target, setTarget] = useState('');
  const [newAddress, setNewAddress] = useState('');
  const [hex, setHex] = useState('');
  const [decodeKey, setDecodeKey] = useState('');

  useEffect(() => {
    const stop = subscribeMbus();
    void useMbus.getState().refresh();
    return stop;
  }, []);

  const range = { from: Number(from), to: Number(to) };
  const rangeValid =
    Number.isInteger(range.from) && Number.isInteger(range.to) && range.from >= 0 && range.to <= 250 && range.from <= range.to && from !== '' && to !== '';
  const read = (m: MbusMeterView): void => void s.read(m.primary !== undefined && !s.secondaryScan ? { primary: m.primary } : { secondary: m.id });
  const selected = s.heard.find((h) => h.key === s.selectedHeard);
  const targetValue = /^\d{1,3}$/.test(target) ? Number(target) : target.toUpperCase();
  const setValid = (/^\d{1,3}$/.test(target) || /^[0-9A-Fa-f]{8}$/.test(target)) && /^\d{1,3}$/.test(newAddress) && Number(newAddress) <= 250;
  const progress = s.progress;
  const jobId = useApp((state) => state.currentJobId);
  const job = useJobs((state) => state.jobs.find((j) => j.id === jobId));

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('screen.mbus.title')}</h1>
      <ServiceProblems services={['mbus']} />
      <p data-testid="mbus-job">{job ? t('screen.currentJob', { reference: job.workOrderReference ?? job.id }) : t('mbus.job.none')}</p>

      <ConnectionForm />

      <div className="card">
        <h2>{t('mbus.wired.title')}</h2>
        <p data-testid="mbus-wired-status">
          {s.status?.wired ? t('mbus.wired.connected', { target: s.status.wired.target }) : t('mbus.wired.none')}
          {s.status?.wired?.training ? ` ${t('mbus.training')}` : ''}
        </p>
        <div className="row">
          <div className="field">
            <label htmlFor="mbus-from">{t('mbus.scan.from')}</label>
            <input id="mbus-from" inputMode="numeric" value={from} onChange={(e) => setFrom(e.target.value.trim())} />
          </div>
          <div className="field">
            <label htmlFor="mbus-to">{t('mbus.scan.to')}</label>
            <input id="mbus-to" inputMode="numeric" value={to} onChange={(e) => setTo(e.target.value.trim())} />
          </div>
        </div>
        <div className="row">
          <button type="button" disabled={s.busy || !rangeValid || !s.status?.wired} onClick={() => void s.scanPrimary(range.from, range.to)}>
            {t('mbus.scan.primary')}
          </button>
          <button type="button" disabled={s.busy || !s.status?.wired} onClick={() => void s.scanSecondary()}>
            {t('mbus.scan.secondary')}
          </button>
          <button type="button" disabled={!s.busy} onClick={() => void s.cancel()}>
            {t('mbus.scan.cancel')}
          </button>
        </div>
        <div aria-live="polite">
          {progress && s.busy ? (
            <div className="field">
              <label htmlFor="mbus-progress">
                {t(progress.kind === 'primary' ? 'mbus.scan.progressPrimary' : 'mbus.scan.progressSecondary', {
                  done: progress.done,
                  total: progress.total,
                  found: progress.found,
                })}
              </label>
              <progress id="mbus-progress" max={progress.total} value={progress.done} />
            </div>
          ) : null}
          {s.error ? (
            <p className="status-bad" role="alert">
              {s.error}
            </p>
          ) : null}
          {s.message ? <p className="status-ok">{t('mbus.setPrimary.done', { change: s.message })}</p> : null}
        </div>
        {s.primaryScan ? (
          <>
            <h3>{t('mbus.scan.primaryResult', { count: s.primaryScan.meters.length })}</h3>
            {s.primaryScan.cancelled ? <p className="warning-text">{t('mbus.scan.cancelled')}</p> : null}
            {s.primaryScan.collisions.length > 0 ? (
              <p className="warning-text" data-testid="mbus-collisions">
                {t('mbus.scan.collisions', { addresses: s.primaryScan.collisions.join(', ') })}
              </p>
            ) : null}
            <MeterTable meters={s.primaryScan.meters} testId="mbus-primary-meters" onRead={read} busy={s.busy} />
          </>
        ) : null}
        {s.secondaryScan ? (
          <>
            <h3>{t('mbus.scan.secondaryResult', { count: s.secondaryScan.meters.length, probes: s.secondaryScan.probes })}</h3>
            {s.secondaryScan.cancelled ? <p className="warning-text">{t('mbus.scan.cancelled')}</p> : null}
            <MeterTable meters={s.secondaryScan.meters} testId="mbus-secondary-meters" onRead={read} busy={s.busy} />
          </>
        ) : null}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (setValid) void s.setPrimary(targetValue, Number(newAddress));
          }}
        >
          <h3>{t('mbus.setPrimary.title')}</h3>
          <div className="row">
            <div className="field">
              <label htmlFor="mbus-set-target">{t('mbus.setPrimary.target')}</label>
              <input id="mbus-set-target" className="mono" value={target} onChange={(e) => setTarget(e.target.value.trim())} />
            </div>
            <div className="field">
              <label htmlFor="mbus-set-new">{t('mbus.setPrimary.new')}</label>
              <input id="mbus-set-new" inputMode="numeric" value={newAddress} onChange={(e) => setNewAddress(e.target.value.trim())} />
            </div>
          </div>
          <button type="submit" disabled={s.busy || !setValid}>
            {t('mbus.setPrimary.submit')}
          </button>
        </form>
      </div>

      <div className="card">
        <h2>{t('mbus.wireless.title')}</h2>
        <p data-testid="mbus-wireless-status">
          {s.status?.wireless ? t('mbus.wireless.connected', { stick: s.status.wireless.stick, target: s.status.wireless.target }) : t('mbus.wireless.noStick')}
          {s.status?.wireless?.training ? ` ${t('mbus.training')}` : ''}
        </p>
        {s.status?.walkBy && s.status.walkBy.dropped > 0 ? (
          <p data-testid="mbus-wireless-dropped">{t('mbus.wireless.dropped', { dropped: s.status.walkBy.dropped, capacity: s.status.walkBy.capacity })}</p>
        ) : null}
        <WirelessList heard={s.heard} selected={s.selectedHeard} onSelect={(key) => s.selectHeard(key)} />
      </div>

      {selected ? (
        <>
          <KeyForm meter={selected} />
          <TelegramDetail telegram={selected.lastTelegram} index={0} />
        </>
      ) : null}
      {s.telegrams.map((tg, i) => (
        <TelegramDetail key={`${tg.hex}-${i}`} telegram={tg} index={i} />
      ))}

      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void s.decode(hex, decodeKey || undefined);
        }}
      >
        <h2>{t('mbus.decode.title')}</h2>
        <div className="field">
          <label htmlFor="mbus-decode-hex">{t('mbus.decode.hex')}</label>
          <textarea id="mbus-decode-hex" className="mono" rows={3} value={hex} onChange={(e) => setHex(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="mbus-decode-key">{t('mbus.decode.key')}</label>
          <input id="mbus-decode-key" className="mono" autoComplete="off" value={decodeKey} onChange={(e) => setDecodeKey(e.target.value.trim())} />
        </div>
        <button type="submit" disabled={hex.trim() === ''}>
          {t('mbus.decode.submit')}
        </button>
      </form>
    </section>
  );
}
