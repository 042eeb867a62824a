import { LocaleSetting } from './locale-setting';
import { TrainingSettings } from './training-settings';
import { useEffect, useState } from 'react';
import type { PremisesStatus } from '../../../src-shared/ipc/channels/app';
import { ServiceProblems } from '../../components/service-problems';
import { t } from '../../i18n/i18n';
import { invoke } from '../../ipc';
import { useApp } from '../../stores/app-store';

function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

export function SettingsScreen(): React.JSX.Element {
  const { info, notify } = useApp();
  const [premises, setPremises] = useState<PremisesStatus>();

  useEffect(() => {
    void invoke('premises:status').then((result) => (result.ok ? setPremises(result.value) : notify('error', result.error.message)));
  }, [notify]);

  const exportLogs = async (): Promise<void> => {
    const result = await invoke('logs:export', { days: 2 });
    if (!result.ok) return notify('error', result.error.message);
    download(result.value.fileName, result.value.text, 'application/x-ndjson');
    notify('info', t('settings.logsExported', { fileName: result.value.fileName }));
  };

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('settings.title')}</h1>
      <ServiceProblems services={['premises', 'dcc', 'mbus']} />
      <LocaleSetting />
      <div className="card">
        <h2>{t('settings.dataDir')}</h2>
        <p className="mono">{info?.dataDir ?? t('common.loading')}</p>
        {info ? <p>{t('settings.version', { version: info.version })}</p> : null}
      </div>
      <div className="card">
        <h2>{t('settings.secrets')}</h2>
        <p>{info?.secrets.backend}</p>
        {info?.secrets.warning ? (
          <p className="warning-text" data-testid="secrets-warning">
            {t('settings.secretsWarning', { warning: info.secrets.warning })}
          </p>
        ) : null}
      </div>
      <div className="card">
        <h2>{t('settings.premises')}</h2>
        {premises?.running ? (
          <>
            <p>{t('settings.premisesRunning', { address: premises.address ?? '', mpan: premises.mpan ?? '', mprn: premises.mprn ?? '' })}</p>
            <h3>{t('settings.premisesLabels')}</h3>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('jobs.device.type')}</th>
                  <th scope="col">{t('jobs.device.eui64')}</th>
                  <th scope="col">{t('jobs.device.installCode')}</th>
                </tr>
              </thead>
              <tbody>
                {premises.devices.map((device) => (
                  <tr key={device.eui64}>
                    <td>{device.type}</td>
                    <td className="mono">{device.eui64}</td>
                    <td className="mono">{device.label}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p>{t('settings.premisesStopped')}</p>
        )}
      </div>
      <TrainingSettings />
      <div className="card">
        <h2>{t('settings.logs')}</h2>
        <button type="button" onClick={() => void exportLogs()}>
          {t('settings.exportLogs')}
        </button>
      </div>
    </section>
  );
}
