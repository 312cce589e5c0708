import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getViewer, homeFor } from '~/server/viewer';
import { TRPCReactProvider } from '~/trpc/react';
import { OnboardingForm } from './onboarding-form';

export const metadata: Metadata = { title: 'Choose your username' };

export default async function OnboardingPage() {
  const viewer = await getViewer();
  if (homeFor(viewer) !== '/onboarding') redirect(homeFor(viewer));
  // Top-aligned rather than centred: the two steps differ in height, and the heading should not jump.
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col gap-6 px-4 py-12 sm:pt-24">
      <div>
        <h1 className="text-2xl font-semibold">Welcome to Pocket Smyth</h1>
        <p className="mt-1 text-sm text-muted">
          Two short steps: pick the username for your agent (it becomes your address and cannot be changed
          later), then tell it how to reach you.
        </p>
      </div>
      <TRPCReactProvider>
        <OnboardingForm defaultDisplayName={viewer?.name ?? ''} />
      </TRPCReactProvider>
    </main>
  );
}
