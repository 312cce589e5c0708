'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { setPersonImage } from './actions';

/**
 * The person's own agent image over the portal's default (docs/ARCHITECTURE.md, "Images and
 * rollouts"): set, or cleared to follow the default again. A running agent is provisioned again with it.
 */
export function AgentImageForm({
  personId,
  imageOverride,
}: {
  personId: string;
  imageOverride: string | null;
}) {
  const toast = useToast();
  const [image, setImage] = useState(imageOverride ?? '');
  const set = useAction(setPersonImage);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await set.run({ id: personId, image: image.trim() || null });
    if (!answer.ok) return toast(answer.error, 'error');
    const result = answer.data;
    toast(
      result.imageOverride
        ? `Their agent runs ${result.imageOverride}${result.reprovisioning ? '; it is being provisioned again.' : ' from its next start.'}`
        : 'Their agent follows the default image again.',
    );
  };
  return (
    <form onSubmit={submit} className="mt-4 flex flex-col gap-2">
      <Field
        id="agent-image-override"
        label="Own image"
        placeholder="empty: the default image"
        value={image}
        onChange={(e) => setImage(e.target.value)}
        hint="Over the portal's default; rollouts leave it alone. Empty follows the default again."
      />
      <div className="flex flex-wrap gap-2">
        <Button
          type="submit"
          variant="secondary"
          disabled={set.pending || image.trim() === (imageOverride ?? '')}
        >
          {set.pending ? 'Saving…' : 'Save image'}
        </Button>
      </div>
    </form>
  );
}
