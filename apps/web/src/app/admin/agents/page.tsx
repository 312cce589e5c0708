import type { Metadata } from 'next';
import { RefreshEvery } from '~/components/refresh-every';
import { serverCaller } from '~/server/caller';
import { agentsQueryInput, filtersFrom } from './agents-query';
import { AgentsTable } from './agents-table';

export const metadata: Metadata = { title: 'Agents' };

export default async function AgentsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const filters = filtersFrom(await searchParams);
  const api = await serverCaller();
  const [rows, hosts] = await Promise.all([
    api.admin.agents.list(agentsQueryInput(filters)),
    api.admin.hosts.list(),
  ]);
  // Runs move agents along: while one is under way or an agent is not as wanted, every 5 s shows each
  // step's effect; otherwise only the CPU and memory figures change, with the worker's 15 s poll.
  const moving = rows.some(
    (r) =>
      r.observedState !== r.desiredState || r.lastRun?.status === 'queued' || r.lastRun?.status === 'running',
  );
  return (
    <>
      <RefreshEvery ms={moving ? 5_000 : 15_000} />
      <h1 className="text-2xl font-semibold">Agents</h1>
      <AgentsTable rows={rows} hosts={hosts} filters={filters} />
    </>
  );
}
