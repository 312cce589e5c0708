'use client';

import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { setPublicUrl } from './actions';

/** The public-URL switch: the only part of its card that runs in the browser. */
export function PublicUrlSwitch({
  enabled,
  disabled,
  describedBy,
}: {
  enabled: boolean;
  disabled: boolean;
  describedBy?: string;
}) {
  const toast = useToast();
  const toggle = useAction(setPublicUrl);
  return (
    <label className="flex items-center gap-3">
      <input
        type="checkbox"
        role="switch"
        aria-checked={enabled}
        checked={enabled}
        disabled={disabled || toggle.pending}
        aria-describedby={describedBy}
        onChange={async (e) => {
          const answer = await toggle.run({ enabled: e.target.checked });
          if (answer.ok) toast(answer.data ? 'Public URL is on.' : 'Public URL is off.');
          else toast(answer.error, 'error');
        }}
        className="h-5 w-9"
      />
      <span>Let anyone open the public part of my agent</span>
    </label>
  );
}
