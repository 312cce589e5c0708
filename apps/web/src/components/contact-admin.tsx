import type { ReactNode } from 'react';

/** What happens next, then how to reach an admin: ADMIN_CONTACT as a link (a mail address or a help desk's URL). */
export function ContactAdmin({ contact, children }: { contact?: string | undefined; children: ReactNode }) {
  if (!contact) return <p className="text-sm text-muted">{children} An admin will be in touch by email.</p>;
  const href = contact.includes('@') && !contact.includes('://') ? `mailto:${contact}` : contact;
  return (
    <p className="text-sm text-muted">
      {children} Questions? Reach an admin at{' '}
      <a href={href} className="text-accent underline underline-offset-2">
        {contact}
      </a>
      .
    </p>
  );
}
