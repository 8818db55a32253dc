import { useTranslation } from 'react-i18next';

/** Cora's mark: a speech bubble with a soft "C". Decorative unless `label` is given. */
export function CoraAvatar({ size = 32, label }: { size?: number; label?: string }) {
  return (
    <svg
      className="avatar"
      width={size}
      height={size}
      viewBox="0 0 64 64"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      focusable="false"
    >
      <circle cx="32" cy="32" r="32" className="avatar-bg" />
      <path
        d="M32 14c-10 0-18 7.2-18 16.5 0 5.3 2.7 10 7 13l-2 7.5 8.3-4.3c1.5.3 3.1.5 4.7.5 10 0 18-7.2 18-16.5S42 14 32 14z"
        className="avatar-bubble"
      />
      <path
        d="M38.5 25.5a8.5 8.5 0 1 0 0 10"
        fill="none"
        className="avatar-letter"
        strokeWidth="4"
        strokeLinecap="round"
      />
    </svg>
  );
}

export function UserAvatar({ name, size = 32 }: { name: string; size?: number }) {
  const initial = (name.trim()[0] ?? '?').toUpperCase();
  return (
    <span className="avatar avatar-user" style={{ width: size, height: size }} aria-hidden="true">
      {initial}
    </span>
  );
}

/** Cora's mark with her name and tagline, as the top bar and the log-in card show it. */
export function CoraBrand({ className = 'brand', size = 34 }: { className?: string; size?: number }) {
  const { t } = useTranslation();
  return (
    <div className={className}>
      <CoraAvatar size={size} />
      <div>
        <p className="brand-name">Cora</p>
        <p className="brand-tagline">{t('misc.tagline')}</p>
      </div>
    </div>
  );
}
