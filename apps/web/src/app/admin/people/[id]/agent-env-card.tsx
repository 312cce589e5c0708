'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AgentEnvCard } from '~/components/agent-env-card';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

/** A person's agent environment variables, as an admin manages them (admin.users.env.*). */
export function PersonAgentEnvCard({ id, username }: { id: string; username: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const vars = useQuery(trpc.admin.users.env.list.queryOptions({ id }));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.admin.users.env.list.queryKey({ id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.users.get.queryKey({ id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.runs.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.activity.list.queryKey() }),
    ]);
  const set = useMutation(
    trpc.admin.users.env.set.mutationOptions({
      onSuccess: (result) => {
        toast(
          result.restarting
            ? `Saved ${result.variable.name}; ${username}’s agent is restarting with it.`
            : `Saved ${result.variable.name}; ${username}’s agent gets it when it next starts.`,
        );
        void refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.admin.users.env.delete.mutationOptions({
      onSuccess: (result) => {
        toast(result.restarting ? `Removed; ${username}’s agent is restarting without it.` : 'Removed.');
        void refresh();
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  return (
    <AgentEnvCard
      vars={vars.data}
      whose={`${username}’s agent`}
      onSet={(input) => set.mutateAsync({ id, ...input })}
      onDelete={(name) => remove.mutateAsync({ id, name })}
      setting={set.isPending}
      deleting={remove.isPending}
      error={set.error?.message ?? null}
    />
  );
}
