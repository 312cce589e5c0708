import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getViewer, homeFor } from '~/server/viewer';
import { OnboardingForm } from './onboarding-form';

export const metadata: Metadata = { title: 'Choose your username' };

export default async function OnboardingPage() {
  const viewer = await getViewer();
  if (homeFor(viewer) !== '/onboarding') redirect(homeFor(viewer));
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-6 px-4 py-12">
      <div>
        <h1 className="text-2xl font-semibold">Welcome to Pocket Smyth</h1>
        <p className="mt-1 text-sm text-muted">
          Pick the username for your agent. It becomes your address and cannot be changed later.
        </p>
      </div>
      <OnboardingForm defaultDisplayName={viewer?.name ?? ''} />
    </main>
  );
}
