import { type ReactNode, useId } from 'react';

/** A titled panel; with a title it is a region named by it, so assistive tech can jump between cards. */
export function Card({
  title,
  children,
  actions,
}: {
  title?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
}) {
  const titleId = useId();
  return (
    <section
      aria-labelledby={title ? titleId : undefined}
      className="rounded-lg border border-border bg-surface p-6 shadow-sm"
    >
      {title || actions ? (
        <div className="mb-4 flex flex-wrap items-center justify-between gap-x-4 gap-y-3">
          {title ? (
            <h2 id={titleId} className="text-lg font-semibold">
              {title}
            </h2>
          ) : (
            <span />
          )}
          {actions}
        </div>
      ) : null}
      {children}
    </section>
  );
}
