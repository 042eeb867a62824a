import type { BrowserWindow, SaveDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createSaveDialog } from './save-dialog';

describe('report save dialog (Electron shell)', () => {
  const window = {} as BrowserWindow;

  it('offers the report’s own name and type on the app window and returns the chosen path', async () => {
    const asked: { parent: BrowserWindow; options: SaveDialogOptions }[] = [];
    const save = createSaveDialog(
      {
        showSaveDialog: async (parent, options) => {
          asked.push({ parent, options });
          return { canceled: false, filePath: '/media/usb/visit.pdf' };
        },
      },
      () => window,
    );
    expect(await save('install-report-J1-e40.pdf', 'pdf')).toBe('/media/usb/visit.pdf');
    expect(asked[0]!.parent).toBe(window);
    expect(asked[0]!.options).toMatchObject({ defaultPath: 'install-report-J1-e40.pdf', filters: [{ extensions: ['pdf'] }] });
    expect(asked[0]!.options.properties).toContain('showOverwriteConfirmation');
  });

  it('is undefined when the engineer cancels or there is no window', async () => {
    const cancelled = createSaveDialog({ showSaveDialog: async () => ({ canceled: true, filePath: '' }) }, () => window);
    expect(await cancelled('r.csv', 'csv')).toBeUndefined();
    const noWindow = createSaveDialog({ showSaveDialog: () => Promise.reject(new Error('not called')) }, () => undefined);
    expect(await noWindow('r.csv', 'csv')).toBeUndefined();
  });
});
