import { t } from '../i18n/i18n';
import { useApp } from '../stores/app-store';

/** Notices are announced through a live region so screen-reader users hear adapter losses and errors. */
export function NoticeArea(): React.JSX.Element {
  const { notices, dismiss } = useApp();
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice ${notice.level}`}>
          <span>{notice.message}</span>
          <button type="button" onClick={() => dismiss(notice.id)} aria-label={t('notice.dismiss')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
