import { useEffect } from 'react';
import { t } from '../i18n/i18n';
import { useApp, type Notice } from '../stores/app-store';

/** Information fades by itself; warnings and errors stay until the engineer dismisses them. */
const INFO_MS = 8000;

function NoticeItem({ notice }: { notice: Notice }): React.JSX.Element {
  const dismiss = useApp((s) => s.dismiss);
  useEffect(() => {
    if (notice.level !== 'info') return undefined;
    const timer = setTimeout(() => dismiss(notice.id), INFO_MS);
    return () => clearTimeout(timer);
  }, [notice, dismiss]);
  return (
    <div className={`notice ${notice.level}`} data-testid="notice" role={notice.level === 'error' ? 'alert' : undefined}>
      <span>{notice.message}</span>
      <button type="button" onClick={() => dismiss(notice.id)} aria-label={t('notice.dismiss')}>
        ×
      </button>
    </div>
  );
}

/**
 * Notices sit in the page flow at the top of the screen they belong to — never over a control — and are dropped when
 * the engineer moves to another screen. A live region announces them.
 */
export function NoticeArea(): React.JSX.Element {
  const notices = useApp((s) => s.notices);
  const screen = useApp((s) => s.screen);
  const shown = notices.filter((n) => n.screen === screen);
  return (
    <div className="notices" role="status" aria-live="polite">
      {shown.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} />
      ))}
    </div>
  );
}
