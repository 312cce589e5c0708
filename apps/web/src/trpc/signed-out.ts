/**
 * A tab whose session ended while it was open (signed out elsewhere, or revoked by an admin) gets
 * UNAUTHORIZED from its next call: it goes to the sign-in page, which says why when an admin ended the
 * session (server/viewer.ts `endedSessionNotice`), instead of leaving the page showing errors.
 * UNAUTHORIZED means only "no session" here (packages/api `trpc.ts`); a refusal is FORBIDDEN.
 */
export function leaveWhenSignedOut(error: unknown): void {
  if (typeof window === 'undefined') return;
  const code = (error as { data?: { code?: unknown } } | null)?.data?.code;
  if (code === 'UNAUTHORIZED') window.location.assign('/signin');
}
