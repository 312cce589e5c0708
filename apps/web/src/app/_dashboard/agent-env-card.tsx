'use client';

import type { ReactNode } from 'react';
import { AgentEnvCard, type AgentEnvVarView } from '~/components/agent-env-card';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { deleteAgentEnv, setAgentEnv } from './actions';

/**
 * The person's own agent environment variables (agent.env.*), listed by the page. Each change re-renders
 * the page, so the agent card and the timeline show the restart that follows.
 */
export function OwnAgentEnvCard({
  vars,
  icons,
}: {
  vars: AgentEnvVarView[];
  /** From the server page: see AgentEnvCard's `icons`. */
  icons: { empty: ReactNode; remove: ReactNode };
}) {
  const toast = useToast();
  const set = useAction(setAgentEnv);
  const remove = useAction(deleteAgentEnv);
  return (
    <AgentEnvCard
      vars={vars}
      whose="your agent"
      icons={icons}
      onSet={async (input) => {
        const answer = await set.run(input);
        // The card keeps what was typed and shows `error` under the form.
        if (!answer.ok) throw new Error(answer.error);
        toast(
          answer.data.restarting
            ? `Saved ${answer.data.name}; your agent is restarting with it.`
            : `Saved ${answer.data.name}; your agent gets it when it next starts.`,
        );
      }}
      onDelete={async (name) => {
        const answer = await remove.run({ name });
        if (!answer.ok) toast(answer.error, 'error');
        else toast(answer.data ? 'Removed; your agent is restarting without it.' : 'Removed.');
      }}
      setting={set.pending}
      deleting={remove.pending}
      error={set.error}
    />
  );
}
