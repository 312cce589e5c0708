'use client';

import { type FormEvent, useState } from 'react';
import { MailNotificationsCheckbox, TimeZoneSelect } from '~/components/preference-fields';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { updatePreferences } from './actions';

/** The preferences form, with the stored values the page read. */
export function PreferencesForm({
  stored,
}: {
  stored: { displayName?: string; timeZone?: string; emailNotifications?: boolean };
}) {
  const toast = useToast();
  const [displayName, setDisplayName] = useState(stored.displayName ?? '');
  const [timeZone, setTimeZone] = useState(stored.timeZone ?? '');
  const [emailNotifications, setEmailNotifications] = useState(stored.emailNotifications ?? true);
  // The action re-renders the page: the greeting at the top and this card's stored values.
  const save = useAction(updatePreferences);
  const changed =
    displayName.trim() !== (stored.displayName ?? '') ||
    (timeZone !== '' && timeZone !== stored.timeZone) ||
    emailNotifications !== (stored.emailNotifications ?? true);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const answer = await save.run({
      // Empty clears it: the dashboard then greets by username.
      displayName: displayName.trim(),
      timeZone: timeZone || undefined,
      emailNotifications,
    });
    if (answer.ok) toast('Preferences saved.');
    else toast(answer.error, 'error');
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
        <Button type="submit" className="min-w-28" disabled={!changed || save.pending}>
          {save.pending ? 'Saving…' : 'Save'}
        </Button>
      </div>
    </form>
  );
}
