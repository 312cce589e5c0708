'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { MailNotificationsCheckbox, TimeZoneSelect } from '~/components/preference-fields';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

/** The preferences chosen at onboarding, changed later: display name, time zone, mail on/off. */
export function PreferencesCard() {
  const trpc = useTRPC();
  const me = useQuery(trpc.user.me.queryOptions());
  return (
    <Card title="Preferences">
      {me.data ? (
        // Keyed by the stored values, so the form starts again from them after a save elsewhere.
        <PreferencesForm key={JSON.stringify(me.data.preferences)} stored={me.data.preferences} />
      ) : me.error ? (
        <p role="alert" className="text-sm text-danger">
          {me.error.message}
        </p>
      ) : (
        <p className="text-sm text-muted">Loading…</p>
      )}
    </Card>
  );
}

function PreferencesForm({
  stored,
}: {
  stored: { displayName?: string; timeZone?: string; emailNotifications?: boolean };
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const [displayName, setDisplayName] = useState(stored.displayName ?? '');
  const [timeZone, setTimeZone] = useState(stored.timeZone ?? '');
  const [emailNotifications, setEmailNotifications] = useState(stored.emailNotifications ?? true);
  const save = useMutation(
    trpc.user.updatePreferences.mutationOptions({
      onSuccess: async () => {
        toast('Preferences saved.');
        await queryClient.invalidateQueries({ queryKey: trpc.user.me.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.user.activity.queryKey() });
        // The greeting at the top of the page is rendered on the server.
        router.refresh();
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  const changed =
    displayName.trim() !== (stored.displayName ?? '') ||
    (timeZone !== '' && timeZone !== stored.timeZone) ||
    emailNotifications !== (stored.emailNotifications ?? true);

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({
      // Empty clears it: the dashboard then greets by username.
      displayName: displayName.trim(),
      timeZone: timeZone || undefined,
      emailNotifications,
    });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <Field
        id="preferences-display-name"
        name="displayName"
        label="Display name"
        hint="How your agent greets you. Leave empty to use your username."
        autoComplete="name"
        maxLength={80}
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
      />
      <TimeZoneSelect id="preferences-time-zone" value={timeZone} onChange={setTimeZone} />
      <MailNotificationsCheckbox checked={emailNotifications} onChange={setEmailNotifications} />
      <div>
        <Button type="submit" className="min-w-28" disabled={!changed || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </Button>
      </div>
    </form>
  );
}
