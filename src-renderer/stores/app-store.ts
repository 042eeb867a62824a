import { create } from 'zustand';
import type { AppInfo } from '../../src-shared/ipc/channels/app';
import { DEFAULT_ENGINEER_LOCALE, type EngineerLocale } from '../../src-shared/model/engineer-locale';
import { setFormatLocale } from '../i18n/format';
import { invoke, onEvent } from '../ipc';

export const screens = ['jobs', 'install', 'han', 'mbus', 'diagnostics', 'dcc', 'reports', 'settings'] as const;
export type Screen = (typeof screens)[number];
export type Theme = 'light' | 'dark' | 'contrast';

export interface Notice {
  readonly id: number;
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  /** The screen it was shown on: a notice never follows the engineer to another screen. */
  readonly screen: Screen;
}

interface AppState {
  readonly info: AppInfo | undefined;
  readonly screen: Screen;
  readonly theme: Theme;
  /** Dates, times and numbers follow it (en-GB unless the engineer chose another); main keeps it in the data folder. */
  readonly locale: EngineerLocale;
  readonly notices: readonly Notice[];
  /** The job the engineer has open; workflows act on it. */
  readonly currentJobId: string | undefined;
  loadInfo(): Promise<void>;
  go(screen: Screen): void;
  setTheme(theme: Theme): void;
  setLocale(locale: EngineerLocale): void;
  notify(level: Notice['level'], message: string): void;
  dismiss(id: number): void;
  openJob(id: string | undefined): void;
  /** Returns to the open job, screen and theme main kept from before a reload or restart. */
  restoreSession(): Promise<void>;
  readonly restored: boolean;
}

let nextNoticeId = 1;

function initialTheme(): Theme {
  const saved = globalThis.localStorage?.getItem('han.theme');
  if (saved === 'light' || saved === 'dark' || saved === 'contrast') return saved;
  if (globalThis.matchMedia?.('(forced-colors: active)').matches) return 'contrast';
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const useApp = create<AppState>((set) => ({
  info: undefined,
  screen: 'jobs',
  theme: initialTheme(),
  locale: DEFAULT_ENGINEER_LOCALE,
  notices: [],
  currentJobId: undefined,
  restored: false,
  async loadInfo() {
    const result = await invoke('app:info');
    if (result.ok) set({ info: result.value });
    else useApp.getState().notify('error', result.error.message);
  },
  go: (screen) => {
    // Notices belong to the screen they were shown on.
    set((state) => ({ screen, notices: state.notices.filter((n) => n.screen === screen) }));
    void invoke('jobs:setSession', { screen });
  },
  setTheme(theme) {
    globalThis.localStorage?.setItem('han.theme', theme);
    set({ theme });
    void invoke('jobs:setSession', { theme });
  },
  setLocale(locale) {
    // The formatters read it while rendering: set it before the state change that re-renders every screen.
    setFormatLocale(locale);
    set({ locale });
    void invoke('jobs:setSession', { locale });
  },
  notify: (level, message) => set((state) => ({ notices: [...state.notices.slice(-4), { id: nextNoticeId++, level, message, screen: state.screen }] })),
  dismiss: (id) => set((state) => ({ notices: state.notices.filter((n) => n.id !== id) })),
  openJob: (id) => {
    set({ currentJobId: id });
    void invoke('jobs:setSession', { openJobId: id ?? null });
  },
  async restoreSession() {
    // Main keeps the session in the data folder: the web host's port, and with it the browser's storage, changes every run.
    const result = await invoke('jobs:session');
    if (!result.ok) return;
    const { screen, theme, openJobId, locale } = result.value;
    setFormatLocale(locale);
    set({
      locale: locale ?? DEFAULT_ENGINEER_LOCALE,
      ...(screen && (screens as readonly string[]).includes(screen) ? { screen: screen as Screen } : {}),
      ...(theme ? { theme } : {}),
      ...(openJobId ? { currentJobId: openJobId } : {}),
      restored: true,
    });
  },
}));

export function subscribeNotices(): () => void {
  return onEvent('app:notice', (notice) => useApp.getState().notify(notice.level, notice.message));
}
