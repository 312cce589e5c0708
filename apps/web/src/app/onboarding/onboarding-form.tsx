'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { browserTimeZone, MailNotificationsCheckbox, TimeZoneSelect } from '~/components/preference-fields';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { useAction } from '~/components/use-action';
import { useDebounced } from '~/components/use-debounced';
import { checkUsername, completeOnboarding } from './actions';

const steps = [
  { id: 'username', label: 'Username', title: 'Choose your username' },
  { id: 'preferences', label: 'Preferences', title: 'Preferences' },
] as const;

type StepId = (typeof steps)[number]['id'];

const usernameRules =
  '3–32 characters: lowercase letters, digits and single hyphens, starting with a letter.';

/** The server folds only ASCII capitals, so this is the name the availability check answers for. */
function fold(raw: string): string {
  return raw.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * Hint and error text under the username share two reserved lines, so the rule, "Checking…", the
 * verdict and a broken rule replace each other without moving the rest of the form.
 */
function TwoLines({ children }: { children: ReactNode }) {
  return <span className="block min-h-[2lh]">{children}</span>;
}

/** Two steps: a username that is checked live, then the preferences the agent starts with. */
export function OnboardingForm({
  defaultDisplayName,
  isAdmin = false,
}: {
  defaultDisplayName: string;
  /** An admin asks nobody for access: the last step starts their agent. */
  isAdmin?: boolean;
}) {
  const router = useRouter();
  const [step, setStep] = useState<StepId>('username');
  const [username, setUsername] = useState('');
  // Set when the name was free at Continue but someone else took it before Request access.
  const [usernameRefused, setUsernameRefused] = useState<string | null>(null);
  const [displayName, setDisplayName] = useState(defaultDisplayName);
  // Null until the person picks one: then the browser's zone applies, read only in the browser.
  const [timeZone, setTimeZone] = useState<string | null>(null);
  const [emailNotifications, setEmailNotifications] = useState(true);
  const [submitError, setSubmitError] = useState<string | null>(null);

  const headingRef = useRef<HTMLHeadingElement>(null);
  const stepWasChanged = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the step is the trigger, not a value read inside
  useEffect(() => {
    // Not on first load: the page starts at its top, and the username field is the first control.
    if (stepWasChanged.current) headingRef.current?.focus();
  }, [step]);

  function goTo(next: StepId) {
    stepWasChanged.current = true;
    setStep(next);
  }

  const complete = useAction(completeOnboarding);
  // Stays set after success, so the form stays busy until the redirect has happened.
  const [sent, setSent] = useState(false);

  async function submit() {
    setSubmitError(null);
    const answer = await complete.run({
      username: username.trim(),
      preferences: {
        displayName: displayName.trim() || undefined,
        timeZone: timeZone ?? browserTimeZone(),
        emailNotifications,
      },
    });
    if (!answer.ok) {
      setSubmitError(answer.error);
    } else if (answer.data.usernameRefused) {
      // Errors about the name carry the broken rule; they are fixed on the username step, whose check
      // runs again as it mounts.
      setUsernameRefused(answer.data.usernameRefused);
      goTo('username');
    } else {
      setSent(true);
      router.replace(answer.data.status === 'active' ? '/' : '/pending');
    }
  }

  const index = steps.findIndex((s) => s.id === step);
  const current = steps[index]!;

  return (
    <div className="flex flex-col gap-5 rounded-lg border border-border bg-surface p-6">
      <ol aria-label="Onboarding steps" className="grid grid-cols-2 gap-3 text-sm">
        {steps.map((s, i) => (
          <li
            key={s.id}
            aria-current={s.id === step ? 'step' : undefined}
            className={`flex flex-col gap-1.5 ${i <= index ? 'text-text' : 'text-muted'}`}
          >
            <span aria-hidden className={`h-1 rounded-full ${i <= index ? 'bg-accent' : 'bg-border'}`} />
            <span>
              <span>
                Step {i + 1} of {steps.length}
              </span>
              <span className="hidden sm:inline"> · </span>
              <span className={`block sm:inline ${s.id === step ? 'font-medium' : ''}`}>{s.label}</span>
            </span>
          </li>
        ))}
      </ol>
      <h2 ref={headingRef} tabIndex={-1} className="self-start text-lg font-semibold">
        {current.title}
      </h2>
      {step === 'username' ? (
        <UsernameStep
          username={username}
          onUsernameChange={(value) => {
            setUsername(value);
            setUsernameRefused(null);
          }}
          refused={usernameRefused}
          onContinue={() => goTo('preferences')}
        />
      ) : (
        <PreferencesStep
          username={fold(username)}
          displayName={displayName}
          onDisplayNameChange={setDisplayName}
          timeZone={timeZone}
          onTimeZoneChange={setTimeZone}
          emailNotifications={emailNotifications}
          onEmailNotificationsChange={setEmailNotifications}
          error={submitError}
          sending={complete.pending || sent}
          submitLabel={isAdmin ? 'Start my agent' : 'Request access'}
          onBack={() => {
            setSubmitError(null);
            goTo('username');
          }}
          onSubmit={() => void submit()}
        />
      )}
    </div>
  );
}

function UsernameStep({
  username,
  onUsernameChange,
  refused,
  onContinue,
}: {
  username: string;
  onUsernameChange: (value: string) => void;
  refused: string | null;
  onContinue: () => void;
}) {
  const wanted = useDebounced(username.trim(), 250);
  // The latest answer and the name it was asked for; answers that arrive late are dropped below.
  const [check, setCheck] = useState<{ for: string; result: Awaited<ReturnType<typeof checkUsername>> }>();
  useEffect(() => {
    if (!wanted) return;
    let current = true;
    checkUsername({ username: wanted }).then(
      (result) => current && setCheck({ for: wanted, result }),
      () => current && setCheck({ for: wanted, result: { ok: false, error: 'unreachable' } }),
    );
    return () => {
      current = false;
    };
  }, [wanted]);
  const answer = check?.for === wanted ? check.result : undefined;

  const typed = fold(username);
  // Only an answer about what is in the field now counts, never one for a name typed a moment ago.
  const verdict = answer?.ok && answer.data.username === typed ? answer.data : null;
  const canContinue = Boolean(verdict?.available) && !refused;
  const problem = refused ?? (verdict && !verdict.available ? verdict.problems[0]?.message : undefined);
  const hint = !typed
    ? usernameRules
    : verdict?.available
      ? `✓ ${verdict.username} is available`
      : answer && !answer.ok && wanted === username.trim()
        ? 'Could not check this name just now. Try again in a moment.'
        : 'Checking…';

  function submit(e: FormEvent) {
    e.preventDefault();
    if (canContinue) onContinue();
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-5" noValidate>
      <div className="flex flex-col gap-2">
        <Field
          id="username"
          name="username"
          label="Username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => onUsernameChange(e.target.value)}
          error={problem ? <TwoLines>{problem}</TwoLines> : undefined}
          hint={<TwoLines>{hint}</TwoLines>}
          required
        />
        {verdict?.suggestions.length ? (
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="text-muted">Try:</span>
            {verdict.suggestions.map((s) => (
              <Button key={s} variant="secondary" className="px-2 py-1" onClick={() => onUsernameChange(s)}>
                {s}
              </Button>
            ))}
          </div>
        ) : null}
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={!canContinue}>
          Continue
        </Button>
      </div>
    </form>
  );
}

function PreferencesStep({
  username,
  displayName,
  onDisplayNameChange,
  timeZone,
  onTimeZoneChange,
  emailNotifications,
  onEmailNotificationsChange,
  error,
  sending,
  submitLabel,
  onBack,
  onSubmit,
}: {
  username: string;
  displayName: string;
  onDisplayNameChange: (value: string) => void;
  timeZone: string | null;
  onTimeZoneChange: (value: string) => void;
  emailNotifications: boolean;
  onEmailNotificationsChange: (value: boolean) => void;
  error: string | null;
  sending: boolean;
  submitLabel: string;
  onBack: () => void;
  onSubmit: () => void;
}) {
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!sending) onSubmit();
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-5" noValidate>
      <p className="flex flex-wrap items-center gap-x-2 text-sm">
        <span className="text-muted">Your address:</span>
        <span className="font-mono font-medium break-all">{username}</span>
        <Button
          variant="ghost"
          className="px-1 py-0 underline underline-offset-2"
          aria-label="Change username"
          onClick={onBack}
        >
          Change
        </Button>
      </p>
      <Field
        id="display-name"
        name="displayName"
        label="Display name"
        hint="How your agent greets you. Optional."
        autoComplete="name"
        maxLength={80}
        value={displayName}
        onChange={(e) => onDisplayNameChange(e.target.value)}
      />
      <TimeZoneSelect id="time-zone" value={timeZone ?? ''} onChange={onTimeZoneChange} />
      <MailNotificationsCheckbox checked={emailNotifications} onChange={onEmailNotificationsChange} />
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
      <div className="flex items-center justify-between gap-3">
        <Button variant="secondary" onClick={onBack} disabled={sending}>
          Back
        </Button>
        <Button type="submit" className="min-w-36" disabled={sending}>
          {sending ? 'Sending…' : submitLabel}
        </Button>
      </div>
    </form>
  );
}
