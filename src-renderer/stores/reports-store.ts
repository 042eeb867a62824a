import { create } from 'zustand';
import type { ReportFormat, ReportSaveResult, ReportSetView } from '../../src-shared/ipc/channels/reports';
import { downloadFile } from '../features/reports/download-file';
import { t } from '../i18n/i18n';
import type { InstallReport } from '../../src-shared/reports/report-model';
import { invoke } from '../ipc';

/** Projection of main's report files for one job, the report being previewed, and each action's outcome. */
interface ReportsState {
  readonly jobId: string | undefined;
  readonly sets: readonly ReportSetView[];
  readonly preview: InstallReport | undefined;
  readonly busy: boolean;
  /** Beside the Generate button. */
  readonly generateMessage: { readonly ok: boolean; readonly text: string } | undefined;
  /** Beside the file buttons. */
  readonly saveMessage: { readonly ok: boolean; readonly text: string } | undefined;
  load(jobId: string | undefined): Promise<void>;
  generate(): Promise<ReportSetView | undefined>;
  showPreview(eventCount?: number): Promise<void>;
  saveAs(eventCount: number, format: ReportFormat): Promise<ReportSaveResult | undefined>;
}

export const useReports = create<ReportsState>((set, get) => ({
  jobId: undefined,
  sets: [],
  preview: undefined,
  busy: false,
  generateMessage: undefined,
  saveMessage: undefined,
  async load(jobId) {
    set({ jobId, sets: [], preview: undefined, generateMessage: undefined, saveMessage: undefined });
    if (!jobId) return;
    const [sets, preview] = await Promise.all([invoke('reports:list', { jobId }), invoke('reports:preview', { jobId })]);
    if (get().jobId !== jobId) return;
    set({
      ...(sets.ok ? { sets: sets.value } : {}),
      ...(preview.ok ? { preview: preview.value } : {}),
      ...(!sets.ok || !preview.ok ? { generateMessage: { ok: false, text: (!sets.ok ? sets.error : !preview.ok ? preview.error : undefined)!.message } } : {}),
    });
  },
  async generate() {
    const { jobId } = get();
    if (!jobId) return undefined;
    set({ busy: true, generateMessage: undefined });
    const result = await invoke('reports:generate', { jobId });
    if (!result.ok) {
      set({ busy: false, generateMessage: { ok: false, text: result.error.message } });
      return undefined;
    }
    const [sets, preview] = await Promise.all([invoke('reports:list', { jobId }), invoke('reports:preview', { jobId, eventCount: result.value.eventCount })]);
    set({
      busy: false,
      ...(sets.ok ? { sets: sets.value } : {}),
      ...(preview.ok ? { preview: preview.value } : {}),
      generateMessage: { ok: true, text: result.value.folder },
    });
    return result.value;
  },
  async showPreview(eventCount) {
    const { jobId } = get();
    if (!jobId) return;
    const result = await invoke('reports:preview', eventCount === undefined ? { jobId } : { jobId, eventCount });
    if (result.ok) set({ preview: result.value });
    else set({ generateMessage: { ok: false, text: result.error.message } });
  },
  async saveAs(eventCount, format) {
    const { jobId } = get();
    if (!jobId) return undefined;
    set({ saveMessage: undefined });
    const result = await invoke('reports:saveAs', { jobId, eventCount, format });
    if (!result.ok) {
      set({ saveMessage: { ok: false, text: result.error.message } });
      return undefined;
    }
    const saved = result.value;
    // The web host has no save dialog: the browser downloads the bytes main read from reports/<jobId>/.
    if (saved.kind === 'download') downloadFile(saved.name, saved.mimeType, saved.base64);
    set({
      saveMessage:
        saved.kind === 'saved'
          ? { ok: true, text: t('reports.save.saved', { path: saved.path }) }
          : saved.kind === 'download'
            ? { ok: true, text: t('reports.save.downloaded', { name: saved.name }) }
            : { ok: false, text: t('reports.save.cancelled') },
    });
    return saved;
  },
}));
