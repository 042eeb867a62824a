import { create } from 'zustand';
import type { AppInfo } from '../../src-shared/ipc/channels/app';
import { invoke, onEvent } from '../ipc';

export const screens = ['jobs', 'install', 'han', 'mbus', 'diagnostics', 'dcc', 'reports', 'settings'] as const;
export type Screen = (typeof screens)[number];
export type Theme = 'light' | 'dark' | 'contrast';

export interface Notice {
  readonly id: number;
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
}

interface AppState {
  readonly info: AppInfo | undefined;
  readonly screen: Screen;
  readonly theme: Theme;
  readonly notices: readonly Notice[];
  /** The job the engineer has open; workflows act on it. */
  readonly currentJobId: string | undefined;
  loadInfo(): Promise<void>;
  go(screen: Screen): void;
  setTheme(theme: Theme): void;
  notify(level: Notice['level'], message: string): void;
  dismiss(id: number): void;
  openJob(id: string | undefined): void;
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
  notices: [],
  currentJobId: undefined,
  async loadInfo() {
    const result = await invoke('app:info');
    if (result.ok) set({ info: result.value });
    else useApp.getState().notify('error', result.error.message);
  },
  go: (screen) => set({ screen }),
  setTheme(theme) {
    globalThis.localStorage?.setItem('han.theme', theme);
    set({ theme });
  },
  notify: (level, message) => set((state) => ({ notices: [...state.notices.slice(-4), { id: nextNoticeId++, level, message }] })),
  dismiss: (id) => set((state) => ({ notices: state.notices.filter((n) => n.id !== id) })),
  openJob: (id) => set({ currentJobId: id }),
}));

export function subscribeNotices(): () => void {
  return onEvent('app:notice', (notice) => useApp.getState().notify(notice.level, notice.message));
}
