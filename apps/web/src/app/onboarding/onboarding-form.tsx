'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { useTRPC } from '~/trpc/react';

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

export function OnboardingForm({ defaultDisplayName }: { defaultDisplayName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState(defaultDisplayName);
  const [emailNotifications, setEmailNotifications] = useState(true);
  const wanted = useDebounced(username.trim(), 250);
  const check = useQuery({
    ...trpc.user.checkUsername.queryOptions({ username: wanted }),
    enabled: wanted.length > 0,
  });
  const complete = useMutation(
    trpc.user.completeOnboarding.mutationOptions({
      onSuccess: (result) => router.replace(result.status === 'active' ? '/' : '/pending'),
    }),
  );

  const current = check.data && check.data.username === wanted.toLowerCase() ? check.data : null;
  const problem = current && !current.available ? current.problems[0]?.message : undefined;
  const hint = !wanted
    ? '3–32 characters: lowercase letters, digits and single hyphens, starting with a letter.'
    : current?.available
      ? `✓ ${current.username} is available`
      : 'Checking…';

  function submit(e: FormEvent) {
    e.preventDefault();
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    complete.mutate({
      username: username.trim(),
      preferences: { displayName: displayName.trim() || undefined, timeZone, emailNotifications },
    });
  }

  return (
    <form
      onSubmit={submit}
      className="flex flex-col gap-5 rounded-lg border border-border bg-surface p-6"
      noValidate
    >
      <div className="flex flex-col gap-2">
        <Field
          id="username"
          name="username"
          label="Username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={problem}
          hint={hint}
          required
        />
        {current?.suggestions.length ? (
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="text-muted">Try:</span>
            {current.suggestions.map((s) => (
              <Button key={s} variant="secondary" className="px-2 py-1" onClick={() => setUsername(s)}>
                {s}
              </Button>
            ))}
          </div>
        ) : null}
      </div>
      <Field
        id="display-name"
        name="displayName"
        label="Display name"
        hint="How your agent greets you. Optional."
        maxLength={80}
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
      />
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={emailNotifications}
          onChange={(e) => setEmailNotifications(e.target.checked)}
        />
        Email me when my agent is ready or needs attention
      </label>
      {complete.error ? (
        <p role="alert" className="text-sm text-danger">
          {complete.error.message}
        </p>
      ) : null}
      <Button type="submit" disabled={!current?.available || complete.isPending}>
        {complete.isPending ? 'Sending…' : 'Request access'}
      </Button>
    </form>
  );
}
