import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getViewer, homeFor } from '~/server/viewer';
import { OnboardingForm } from './onboarding-form';

export const metadata: Metadata = { title: 'Choose your username' };

export default async function OnboardingPage() {
  const viewer = await getViewer();
  if (homeFor(viewer) !== '/onboarding') redirect(homeFor(viewer));
  // Top-aligned rather than centred: the two steps differ in height, and the heading should not jump.
  // An admin (the first person on a fresh install, or one listed in ADMIN_EMAILS) needs nobody's
  // approval: they are told so here, not asked to "request access" and mailed that they were approved.
  const isAdmin = viewer?.role === 'admin';
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col gap-6 px-4 py-12 sm:pt-24">
      <div>
        <h1 className="text-2xl font-semibold">Welcome to Pocket Smyth</h1>
        {isAdmin ? (
          <section
            aria-labelledby="admin-welcome"
            className="mt-4 rounded-lg border border-accent/40 bg-surface p-4 text-sm"
          >
            <h2 id="admin-welcome" className="font-semibold">
              You’re an admin here
            </h2>
            <p className="mt-1 text-muted">
              The first person to sign in to a new Pocket Smyth (and anyone in its admin list) runs it, so you
              need nobody’s approval: your agent starts as soon as you finish these two steps. Then the admin
              panel is yours: approve the people who ask to join, and watch the hosts their agents run on.
            </p>
          </section>
        ) : null}
        <p className="mt-3 text-sm text-muted">
          Two short steps: pick the username for your agent (it becomes your address and cannot be changed
          later), then tell it how to reach you.
        </p>
      </div>
      <OnboardingForm defaultDisplayName={viewer?.name ?? ''} isAdmin={isAdmin} />
    </main>
  );
}
