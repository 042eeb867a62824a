import type { BrowserWindow, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import type { ReportFormat } from '../../src-shared/ipc/channels/reports';
import type { SaveDialog } from '../app/handlers/report-handlers';

/** The part of Electron's `dialog` the shell uses. */
export interface SaveDialogApi {
  showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
}

const FILTERS: Record<ReportFormat, string> = { pdf: 'PDF report', json: 'JSON report', csv: 'CSV device table' };

/**
 * "Save a copy" of a report in the app: the system's save dialog, sheet of the app window, offering the report's
 * own file name and type; the system asks before replacing a file. Main copies the file; the renderer never sees a path it did not choose.
 */
export function createSaveDialog(dialog: SaveDialogApi, window: () => BrowserWindow | undefined): SaveDialog {
  return async (suggestedName, format) => {
    const parent = window();
    if (!parent) return undefined;
    const result = await dialog.showSaveDialog(parent, {
      defaultPath: suggestedName,
      filters: [{ name: FILTERS[format], extensions: [format] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    return result.canceled || !result.filePath ? undefined : result.filePath;
  };
}
