import { useEffect, useState } from 'react';
import { ADAPTER_CAPABILITIES, type HanAdapterType } from '../../../src-shared/model/han-adapters';
import { ServiceProblems } from '../../components/service-problems';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';
import { useApp } from '../../stores/app-store';
import { useDongles } from '../../stores/dongles-store';
import { subscribeHan, useHan } from '../../stores/han-store';
import { createScanDetector } from './scan-detector';
import { useJobs } from '../../stores/jobs-store';
import { ActionButton } from '../../components/field';
import { DeviceLogCard } from './device-log';
import { HanDevices } from './han-devices';
import { useJobView } from './use-job-view';

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

/** HAN: the job's ZigBee network, its devices (near the top), the join window and the device log. */
export function HanScreen(): React.JSX.Element {
  const { view, busy, error, refresh, start, stop, addDevice, openJoin, closeJoin } = useHan();
  const jobs = useJobs((s) => s.jobs);
  const currentJobId = useApp((s) => s.currentJobId);
  const [jobId, setJobId] = useState('');
  const [code, setCode] = useState('');
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
  const job = useJobView(view?.jobId);

  useEffect(() => {
    const stopEvents = subscribeHan();
    void refresh();
    return stopEvents;
  }, [refresh]);

  const running = network !== undefined;
  useEffect(() => {
    if (!running) return undefined;
    // A keyboard-wedge scanner used while no field has focus: its label goes straight onto the device log,
    // as the Enter that ends the scan asks for (a scan that fails shows why, beside the field).
    const detector = createScanDetector({
      onScan: (text) => {
        const label = text.trim();
        setCode(label);
        document.getElementById('han-code')?.focus();
        void useHan
          .getState()
          .addDevice(label, undefined, undefined)
          .then((added) => added && setCode(''));
      },
    });
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (detector.key(e.key, e.timeStamp)) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [running, addDevice]);

  const remaining = network?.joinWindow.endsAtMs ? Math.max(0, Math.round((network.joinWindow.endsAtMs - now) / 1000)) : 0;
  const selectedJob = jobId || currentJobId || jobs[0]?.id || '';
  const secondsOk = Number(seconds) >= 1 && Number(seconds) <= 3600;

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('screen.han.title')}</h1>
      <ServiceProblems services={['premises']} />
      {error ? (
        <p className="status-bad" role="alert">
          {error}
        </p>
      ) : null}

      {!network ? (
        <div className="card">
          <h2>{t('han.network.title')}</h2>
          <div className="field">
            <label htmlFor="han-job">{t('han.network.job')}</label>
            <select id="han-job" value={selectedJob} onChange={(e) => setJobId(e.target.value)}>
              {jobs.map((j) => (
                <option key={j.id} value={j.id}>
                  {j.workOrderReference ?? j.id} — {j.address}
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
          <ActionButton
            disabledReason={selectedJob === '' ? t('han.network.startWhyNoJob') : undefined}
            busy={busy}
            onClick={() =>
              void start(
                selectedJob,
                selectedDongle ? { adapter: selectedDongle.classification.driver, path: selectedDongle.path } : undefined,
                channel ? Number(channel) : undefined,
              )
            }
          >
            {t('han.network.start')}
          </ActionButton>
          {busy ? <p aria-live="polite">{t('han.network.starting')}</p> : null}
        </div>
      ) : (
        <>
          <div className="card">
            <div className="row">
              <h2>{t('han.network.title')}</h2>
              <dl data-testid="han-network" className="inline-dl">
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
              <button type="button" onClick={() => void stop()}>
                {t('han.network.stop')}
              </button>
            </div>
            {network.capabilities.seProfile !== 'yes' ? (
              <p className="warning-text" role="note">
                {t('han.network.noSe')}
              </p>
            ) : null}
            <details className="hint">
              <summary>{t('han.network.notes')}</summary>
              <ul>
                {network.capabilities.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            </details>
            <div className="row">
              <label htmlFor="han-join-seconds">{t('han.join.seconds')}</label>
              <input id="han-join-seconds" inputMode="numeric" size={5} value={seconds} onChange={(e) => setSeconds(e.target.value.replace(/\D/g, ''))} />
              <ActionButton disabledReason={secondsOk ? undefined : t('han.join.openWhy')} onClick={() => void openJoin(Number(seconds))}>
                {t('han.join.open')}
              </ActionButton>
              <ActionButton disabledReason={network.joinWindow.open ? undefined : t('han.join.closeWhy')} onClick={() => void closeJoin()}>
                {t('han.join.close')}
              </ActionButton>
              <p aria-live="polite" data-testid="han-join-status">
                {network.joinWindow.open
                  ? t('han.join.countdown', { minutes: Math.floor(remaining / 60), seconds: String(remaining % 60).padStart(2, '0') })
                  : t('han.join.closed')}
              </p>
            </div>
          </div>

          <HanDevices devices={view?.devices ?? []} job={job} />

          <DeviceLogCard view={view} job={job} code={code} setCode={setCode} />

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
        </>
      )}
    </section>
  );
}
