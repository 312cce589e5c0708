/**
 * The Pocket Smyth mark: a pocket with a spark in it, your own agent kept close. Drawn in the palette's
 * tokens, so it follows light and dark; src/app/icon.svg is the same drawing in fixed colours.
 */
export function LogoMark({ className = 'size-7' }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" focusable="false" className={`shrink-0 ${className}`}>
      <rect width="32" height="32" rx="7" fill="var(--color-accent)" />
      <path d="M7 7.5h18v9.5c0 5-4 9-9 9s-9-4-9-9z" fill="var(--color-accent-fg)" />
      <path d="M7 12h18" stroke="var(--color-accent)" strokeWidth="2" />
      <path d="M16 14l1.5 3 3 1.5-3 1.5-1.5 3-1.5-3-3-1.5 3-1.5z" fill="var(--color-accent)" />
    </svg>
  );
}

/** The mark with the product name beside it; `size` sets the mark and the text together. */
export function Logo({ size = 'md' }: { size?: 'md' | 'lg' }) {
  return (
    <span className="inline-flex shrink-0 items-center gap-2 whitespace-nowrap">
      <LogoMark className={size === 'lg' ? 'size-10' : 'size-7'} />
      <span
        className={size === 'lg' ? 'text-xl font-semibold tracking-tight' : 'font-semibold tracking-tight'}
      >
        Pocket Smyth
      </span>
    </span>
  );
}
