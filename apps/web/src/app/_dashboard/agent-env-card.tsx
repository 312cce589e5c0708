'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AgentEnvCard } from '~/components/agent-env-card';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

/** The person's own agent environment variables (agent.env.*). */
export function OwnAgentEnvCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const vars = useQuery(trpc.agent.env.list.queryOptions());
  // The agent restarts: its card and the timeline show it.
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.agent.env.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.agent.get.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.runs.mine.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.user.activity.queryKey() }),
    ]);
  const set = useMutation(
    trpc.agent.env.set.mutationOptions({
      onSuccess: (result) => {
        toast(
          result.restarting
            ? `Saved ${result.variable.name}; your agent is restarting with it.`
            : `Saved ${result.variable.name}; your agent gets it when it next starts.`,
        );
        void refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.agent.env.delete.mutationOptions({
      onSuccess: (result) => {
        toast(result.restarting ? 'Removed; your agent is restarting without it.' : 'Removed.');
        void refresh();
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  return (
    <AgentEnvCard
      vars={vars.data}
      whose="your agent"
      onSet={(input) => set.mutateAsync(input)}
      onDelete={(name) => remove.mutateAsync({ name })}
      setting={set.isPending}
      deleting={remove.isPending}
      error={set.error?.message ?? null}
    />
  );
}
