import { useEffect } from 'react';
import { DccScreen } from './features/dcc/dcc-screen';
import { HanScreen } from './features/han/han-screen';
import { InstallScreen } from './features/install/install-screen';
import { DonglePanel } from './features/dongles/dongle-panel';
import { JobsScreen } from './features/jobs/jobs-screen';
import { MbusScreen } from './features/mbus/mbus-screen';
import { DiagnosticsScreen } from './features/diagnostics/diagnostics-screen';
import { ReportsScreen } from './features/reports/reports-screen';
import { SettingsScreen } from './features/settings/settings-screen';
import { t } from './i18n/i18n';
import type { MessageKey } from './i18n/messages-en';
import { NoticeArea } from './components/notice-area';
import { EngineerBanner } from './features/jobs/engineer-banner';
import { screens, subscribeNotices, useApp, type Screen, type Theme } from './stores/app-store';
import { subscribeDongles, useDongles } from './stores/dongles-store';
import { subscribeJobs, useJobs } from './stores/jobs-store';

const SCREEN_VIEWS: Record<Screen, () => React.JSX.Element> = {
  jobs: JobsScreen,
  install: InstallScreen,
  han: HanScreen,
  mbus: MbusScreen,
  diagnostics: DiagnosticsScreen,
  dcc: DccScreen,
  reports: ReportsScreen,
  settings: SettingsScreen,
};

export function App(): React.JSX.Element {
  // The whole store, so a new locale (the formatters read it while rendering) re-renders every screen from here.
  const { screen, go, theme, setTheme, loadInfo } = useApp();

  useEffect(() => {
    const unsubscribers = [subscribeDongles(), subscribeJobs(), subscribeNotices()];
    void loadInfo();
    void useDongles.getState().refresh();
    void useJobs.getState().refresh();
    // A reload or restart comes back to the open job (main keeps the session in the data folder).
    void useApp
      .getState()
      .restoreSession()
      .then(() => {
        const open = useApp.getState().currentJobId;
        if (open) void useJobs.getState().load(open);
      });
    return () => unsubscribers.forEach((stop) => stop());
  }, [loadInfo]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const View = SCREEN_VIEWS[screen];
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <div className="layout">
        <aside className="sidebar">
          <div className="brand">{t('app.title')}</div>
          <nav aria-label={t('nav.label')}>
            <ul className="nav-list">
              {screens.map((name) => (
                <li key={name}>
                  <button type="button" className="nav-button" aria-current={screen === name ? 'page' : undefined} onClick={() => go(name)}>
                    {t(`nav.${name}` as MessageKey)}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <div className="field">
            <label htmlFor="theme">{t('theme.label')}</label>
            <select id="theme" value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
              <option value="light">{t('theme.light')}</option>
              <option value="dark">{t('theme.dark')}</option>
              <option value="contrast">{t('theme.contrast')}</option>
            </select>
          </div>
        </aside>
        <main id="main" tabIndex={-1}>
          <EngineerBanner />
          <NoticeArea />
          <View />
        </main>
        <DonglePanel />
      </div>
    </>
  );
}
