'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

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
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [image, setImage] = useState(imageOverride ?? '');
  const set = useMutation(
    trpc.admin.users.setImage.mutationOptions({
      onSuccess: (result) => {
        toast(
          result.imageOverride
            ? `Their agent runs ${result.imageOverride}${result.reprovisioning ? '; it is being provisioned again.' : ' from its next start.'}`
            : 'Their agent follows the default image again.',
        );
        void queryClient.invalidateQueries();
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    set.mutate({ id: personId, image: image.trim() || null });
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
          disabled={set.isPending || image.trim() === (imageOverride ?? '')}
        >
          {set.isPending ? 'Saving…' : 'Save image'}
        </Button>
      </div>
    </form>
  );
}
