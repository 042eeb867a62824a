import { useEffect, useState } from 'react';
import { parseInstallCode } from '../../../src-shared/model/install-code';
import type { HanDevice, MeteringReading } from '../../../src-shared/model/han';
import { ADAPTER_CAPABILITIES, type HanAdapterType } from '../../../src-shared/model/han-adapters';
import { ServiceProblems } from '../../components/service-problems';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { useApp } from '../../stores/app-store';
import { useDongles } from '../../stores/dongles-store';
import { subscribeHan, useHan } from '../../stores/han-store';
import { createScanDetector } from './scan-detector';
import { useJobs } from '../../stores/jobs-store';

const hex = (n: number, digits: number): string => `0x${n.toString(16).toUpperCase().padStart(digits, '0')}`;

/** Re-renders every second while a countdown is shown. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function InstallCodeHint(props: { text: string }): React.JSX.Element | null {
  if (props.text.trim() === '') return null;
  const parsed = parseInstallCode(props.text);
  if (!parsed.ok) {
    return (
      <p id="han-code-hint" className="status-bad" data-testid="han-code-validation">
        {parsed.error.message}
      </p>
    );
  }
  const v = parsed.value;
  return (
    <p id="han-code-hint" className="status-ok" data-testid="han-code-validation">
      {t(v.crcSupplied ? 'han.log.valid' : 'han.log.validComputed', { crc: v.crc, bytes: v.installCode.length / 2, eui64: v.ieee ?? t('han.log.noEui') })}
    </p>
  );
}

function ReadingText(props: { reading: MeteringReading | { error: string } | undefined }): React.JSX.Element {
  const r = props.reading;
  if (!r) return <>{t('common.none')}</>;
  if ('error' in r) return <span className="status-bad">{r.error}</span>;
  const failed = Object.entries(r.attributes).filter(([, a]) => !a.ok);
  return (
    <span data-testid="han-reading">
      {r.text} {r.unit}
      {failed.map(([name, a]) => (
        <span key={name} className="hint">
          {' '}
          {name}: {a.ok ? '' : a.error}
        </span>
      ))}
    </span>
  );
}

function DeviceRow(props: { device: HanDevice; meters: readonly HanDevice[] }): React.JSX.Element {
  const { read, pair, unpair, readings, pairing, busy } = useHan();
  const d = props.device;
  const [meter, setMeter] = useState(props.meters[0]?.eui64 ?? '');
  const isMeter = d.type === 'ESME' || d.type === 'GSME' || d.type === 'Metering';
  const pairResult = pairing[d.eui64];
  return (
    <tr data-testid={`han-device-${d.eui64}`}>
      <td>{d.type}</td>
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
                {new Date(e.atMs).toLocaleTimeString()} {t(`han.state.${e.state}` as MessageKey)}
                {e.reason ? ` — ${e.reason}` : ''}
              </li>
            ))}
          </ol>
        </details>
      </td>
      <td>{d.lqi ?? t('common.none')}</td>
      <td>{d.lastSeenMs ? new Date(d.lastSeenMs).toLocaleTimeString() : t('common.none')}</td>
      <td>
        <ReadingText reading={readings[d.eui64] ?? d.reading} />
      </td>
      <td>
        {isMeter && d.state === 'ready' ? (
          <button type="button" onClick={() => void read(d.eui64)} aria-label={t('han.devices.readLabel', { eui64: d.eui64 })}>
            {t('han.devices.read')}
          </button>
        ) : null}
        {d.type === 'IHD' && d.state === 'ready' ? (
          <div className="row">
            <label htmlFor={`pair-${d.eui64}`}>{t('han.pair.meter')}</label>
            <select id={`pair-${d.eui64}`} value={meter} onChange={(e) => setMeter(e.target.value)}>
              {props.meters.map((m) => (
                <option key={m.eui64} value={m.eui64}>
                  {m.type} {m.eui64}
                </option>
              ))}
            </select>
            <button type="button" disabled={busy || meter === ''} onClick={() => void pair(meter, d.eui64)}>
              {t('han.pair.button')}
            </button>
            {pairResult ? (
              <p className={pairResult.ihdConfirmed && pairResult.bindingConfirmed ? 'status-ok' : 'status-bad'} data-testid="han-pairing">
                {pairResult.ihdConfirmed && pairResult.bindingConfirmed
                  ? t('han.pair.proven', { reports: pairResult.ihdReportsReceived })
                  : t('han.pair.notProven', { error: pairResult.error ?? '' })}
              </p>
            ) : null}
            {d.pairedWith ? (
              <p className="status-ok">
                {t('han.pair.pairedWith', { meter: d.pairedWith })}{' '}
                <button type="button" onClick={() => void unpair(d.pairedWith!, d.eui64)}>
                  {t('han.pair.unpair')}
                </button>
              </p>
            ) : null}
          </div>
        ) : null}
      </td>
    </tr>
  );
}

/** HAN: the job's ZigBee network, its device log, the join window and the devices with their timelines. */
export function HanScreen(): React.JSX.Element {
  const { view, busy, error, lastAdded, refresh, start, stop, addDevice, removeDevice, openJoin, closeJoin, refreshLqi } = useHan();
  const jobs = useJobs((s) => s.jobs);
  const currentJobId = useApp((s) => s.currentJobId);
  const [jobId, setJobId] = useState(currentJobId ?? '');
  const [code, setCode] = useState('');
  const [eui64, setEui64] = useState('');
  const [seconds, setSeconds] = useState('600');
  const dongles = useDongles((s) => s.dongles).filter(
    (d): d is typeof d & { classification: { driver: HanAdapterType } } =>
      d.classification.kind === 'zigbee-coordinator' && (d.classification.driver ?? '') in ADAPTER_CAPABILITIES,
  );
  const [dongleId, setDongleId] = useState('');
  const [channel, setChannel] = useState('');
  const selectedDongle = dongles.find((d) => d.id === dongleId) ?? dongles[0];
  const network = view?.network;
  const now = useNow(network?.joinWindow.open ?? false);

  useEffect(() => {
    const stopEvents = subscribeHan();
    void refresh();
    return stopEvents;
  }, [refresh]);

  const running = network !== undefined;
  useEffect(() => {
    if (!running) return undefined;
    // A keyboard-wedge scanner used while no field has focus: its label fills the install-code field.
    const detector = createScanDetector({
      onScan: (text) => {
        setCode(text.trim());
        document.getElementById('han-code')?.focus();
      },
    });
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (detector.key(e.key, e.timeStamp)) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [running]);

  const remaining = network?.joinWindow.endsAtMs ? Math.max(0, Math.round((network.joinWindow.endsAtMs - now) / 1000)) : 0;
  const meters = (view?.devices ?? []).filter((d) => (d.type === 'ESME' || d.type === 'GSME' || d.type === 'Metering') && d.state === 'ready');
  const selectedJob = jobId || jobs[0]?.id || '';

  const submitCode = async (): Promise<void> => {
    if (await addDevice(code, eui64 || undefined)) {
      setCode('');
      setEui64('');
    }
  };

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('screen.han.title')}</h1>
      <ServiceProblems services={['premises']} />
      {error ? (
        <p className="status-bad" role="alert">
          {error}
        </p>
      ) : null}

      <div className="card">
        <h2>{t('han.network.title')}</h2>
        {!network ? (
          <>
            <div className="field">
              <label htmlFor="han-job">{t('han.network.job')}</label>
              <select id="han-job" value={selectedJob} onChange={(e) => setJobId(e.target.value)}>
                {jobs.map((job) => (
                  <option key={job.id} value={job.id}>
                    {job.workOrderReference ?? job.id} — {job.address}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="han-dongle">{t('han.network.dongle')}</label>
              <select id="han-dongle" value={selectedDongle?.id ?? ''} onChange={(e) => setDongleId(e.target.value)}>
                {dongles.length === 0 ? <option value="">{t('han.network.noDongle')}</option> : null}
                {dongles.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.classification.label} — {d.path}
                  </option>
                ))}
              </select>
            </div>
            {selectedDongle && ADAPTER_CAPABILITIES[selectedDongle.classification.driver].seProfile !== 'yes' ? (
              <p className="warning-text" role="note">
                {t('han.network.noSe')}
              </p>
            ) : null}
            <div className="field">
              <label htmlFor="han-channel">{t('han.network.channelChoice')}</label>
              <select id="han-channel" value={channel} onChange={(e) => setChannel(e.target.value)} aria-describedby="han-channel-hint">
                <option value="">{t('han.network.channelAuto')}</option>
                {Array.from({ length: 16 }, (_, i) => 11 + i).map((c) => (
                  <option key={c} value={String(c)}>
                    {c}
                  </option>
                ))}
              </select>
              <p id="han-channel-hint" className="hint">
                {t('han.network.channelHint')}
              </p>
            </div>
            <p className="hint">{t('han.network.trainingHint')}</p>
            <button
              type="button"
              disabled={busy || selectedJob === ''}
              onClick={() =>
                void start(
                  selectedJob,
                  selectedDongle ? { adapter: selectedDongle.classification.driver, path: selectedDongle.path } : undefined,
                  channel ? Number(channel) : undefined,
                )
              }
            >
              {t('han.network.start')}
            </button>
            {busy ? <p aria-live="polite">{t('han.network.starting')}</p> : null}
          </>
        ) : (
          <>
            <dl data-testid="han-network">
              <dt>{t('han.network.state')}</dt>
              <dd className={network.state === 'running' ? 'status-ok' : 'status-bad'}>{t(`han.network.state.${network.state}` as MessageKey)}</dd>
              <dt>{t('han.network.adapter')}</dt>
              <dd>
                {network.capabilities.label} <span className="mono">{network.path}</span>
              </dd>
              <dt>{t('han.network.channel')}</dt>
              <dd>{network.channel}</dd>
              <dt>{t('han.network.pan')}</dt>
              <dd className="mono">{hex(network.panId, 4)}</dd>
              <dt>{t('han.network.epid')}</dt>
              <dd className="mono">{network.extendedPanId}</dd>
              <dt>{t('han.network.coordinator')}</dt>
              <dd className="mono">{network.coordinatorIeee ?? t('common.none')}</dd>
            </dl>
            {network.capabilities.seProfile !== 'yes' ? (
              <p className="warning-text" role="note">
                {t('han.network.noSe')}
              </p>
            ) : null}
            <ul className="hint">
              {network.capabilities.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
            <button type="button" onClick={() => void stop()}>
              {t('han.network.stop')}
            </button>
          </>
        )}
      </div>

      {network ? (
        <>
          <div className="card">
            <h2>{t('han.log.title')}</h2>
            <p>{t('han.log.count', { count: view?.deviceLog.length ?? 0 })}</p>
            <p className="hint">{t('han.log.scanHint')}</p>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void submitCode();
              }}
            >
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
              <button type="submit" disabled={code.trim() === ''}>
                {t('han.log.add')}
              </button>
            </form>
            {lastAdded ? (
              <p data-testid="han-last-added">{t('han.log.added', { eui64: lastAdded.eui64, crc: lastAdded.crc, linkKey: lastAdded.linkKey })}</p>
            ) : null}
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

          {view?.trainingLabels ? (
            <div className="card">
              <h2>{t('han.training.title')}</h2>
              <ul data-testid="han-training-labels">
                {view.trainingLabels.map((l) => (
                  <li key={l.eui64}>
                    {l.type}: <span className="mono">{l.label}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}

          <div className="card">
            <h2>{t('han.join.title')}</h2>
            <div className="row">
              <label htmlFor="han-join-seconds">{t('han.join.seconds')}</label>
              <input id="han-join-seconds" inputMode="numeric" value={seconds} onChange={(e) => setSeconds(e.target.value.replace(/\D/g, ''))} />
              <button type="button" disabled={!(Number(seconds) >= 1 && Number(seconds) <= 3600)} onClick={() => void openJoin(Number(seconds))}>
                {t('han.join.open')}
              </button>
              <button type="button" disabled={!network.joinWindow.open} onClick={() => void closeJoin()}>
                {t('han.join.close')}
              </button>
            </div>
            <p aria-live="polite" data-testid="han-join-status">
              {network.joinWindow.open
                ? t('han.join.countdown', { minutes: Math.floor(remaining / 60), seconds: String(remaining % 60).padStart(2, '0') })
                : t('han.join.closed')}
            </p>
          </div>

          <div className="card">
            <h2>{t('han.devices.title')}</h2>
            <button type="button" onClick={() => void refreshLqi()}>
              {t('han.devices.refreshLqi')}
            </button>
            {view && view.devices.length > 0 ? (
              <table data-testid="han-devices">
                <thead>
                  <tr>
                    <th scope="col">{t('han.devices.type')}</th>
                    <th scope="col">{t('han.log.eui64Column')}</th>
                    <th scope="col">{t('han.devices.state')}</th>
                    <th scope="col">{t('han.devices.lqi')}</th>
                    <th scope="col">{t('han.devices.lastSeen')}</th>
                    <th scope="col">{t('han.devices.reading')}</th>
                    <th scope="col">{t('han.log.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {view.devices.map((d) => (
                    <DeviceRow key={d.eui64} device={d} meters={meters} />
                  ))}
                </tbody>
              </table>
            ) : (
              <p>{t('han.devices.none')}</p>
            )}
          </div>
        </>
      ) : null}
    </section>
  );
}
