'use client';

import { useEffect, useState } from 'react';
import { browserTimeZone, timeZoneChoices } from './time-zones';

export { browserTimeZone };

const spoken = (zone: string) => zone.replaceAll('_', ' ');

/**
 * The time-zone select of onboarding and the dashboard's preferences. The full list and the detected
 * zone are read after mount: the server's list can differ from the browser's, and rendering either on
 * the server would not match what the browser hydrates. Until then the select holds just the value,
 * at the same height, so nothing moves when the list arrives.
 */
export function TimeZoneSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  /** A zone, or '' for none chosen yet (the browser's zone is then offered as the default). */
  value: string;
  onChange: (zone: string) => void;
}) {
  const [browser, setBrowser] = useState<{ detected: string; zones: string[] } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once; the value only keeps itself listed
  useEffect(() => {
    const detected = browserTimeZone();
    setBrowser({ detected, zones: timeZoneChoices([value, detected]) });
  }, []);
  const detected = browser?.detected;
  const zones = browser?.zones ?? (value ? [value] : []);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        Time zone
      </label>
      <select
        id={id}
        name="timeZone"
        aria-describedby={`${id}-hint`}
        className="w-full min-w-0 rounded-md border border-border bg-surface px-3 py-2 text-sm"
        value={value || detected || ''}
        onChange={(e) => onChange(e.target.value)}
      >
        {zones.length === 0 ? <option value="">…</option> : null}
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {`${spoken(zone)}${zone === detected ? ' (detected)' : ''}`}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} className="text-sm text-muted">
        {/* The browser's zone is marked "(detected)" in the list rather than named here: text that
            appeared after mount could wrap to a second line and move what is below. */}
        For the times the portal and your agent show, and your agent’s schedules.
      </p>
    </div>
  );
}

/** "Email me …": the approval / agent-ready mail; account decisions (rejection, revocation) always go out. */
export function MailNotificationsCheckbox({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="flex items-start gap-3 text-sm">
      <input
        type="checkbox"
        name="emailNotifications"
        className="mt-0.5 size-4 shrink-0 accent-accent"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      Email me when my agent is ready or needs attention
    </label>
  );
}
