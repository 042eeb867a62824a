import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppInfo } from '../../../src-shared/ipc/channels/app';
import { logFileName } from '../../util/logger';
import type { RunningPremises } from '../../premises/training-premises';
import type { HandlerGroup } from '../dispatch';

export interface AppHandlerDeps {
  readonly info: () => AppInfo;
  readonly logDir: string;
  readonly premises: () => RunningPremises | undefined;
  /** The premises' meter point follows the visited job (or a trainer's mismatch). */
  readonly meterPoint?: () => { readonly mpan?: string; readonly mprn?: string };
}

export function createAppHandlers(deps: AppHandlerDeps): HandlerGroup<'app:info' | 'logs:export' | 'premises:status'> {
  return {
    'app:info': () => deps.info(),
    'logs:export': async ({ days }) => {
      const parts: string[] = [];
      const now = Date.now();
      for (let back = days - 1; back >= 0; back--) {
        const name = logFileName(new Date(now - back * 86_400_000));
        // Log lines were redacted when written; nothing secret is added here.
        parts.push(await readFile(join(deps.logDir, name), 'utf8').catch(() => ''));
      }
      return { fileName: `han-commissioner-logs-${new Date(now).toISOString().slice(0, 10)}.jsonl`, text: parts.join('') };
    },
    'premises:status': () => {
      const premises = deps.premises();
      if (!premises) return { running: false, ports: {}, devices: [] };
      const { model } = premises;
      return {
        running: true,
        ports: { ...premises.ports },
        address: `${model.address.line1}, ${model.address.town} ${model.address.postcode}`,
        mpan: deps.meterPoint?.().mpan ?? model.mpan,
        mprn: deps.meterPoint?.().mprn ?? model.mprn,
        devices: model.devices.map((d) => ({ type: d.type, eui64: d.eui64, label: d.label })),
      };
    },
  };
}
