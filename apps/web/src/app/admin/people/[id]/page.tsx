import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { RefreshEvery } from '~/components/refresh-every';
import { serverCaller } from '~/server/caller';
import { portalView } from '~/server/links';
import { getViewer } from '~/server/viewer';
import { type PersonData, PersonDetail } from './person-detail';

export const metadata: Metadata = { title: 'Person' };

/** Reads everything the page shows, in-process; a refused read (no such person) is its message. */
async function load(id: string): Promise<PersonData | { error: string }> {
  const api = await serverCaller();
  try {
    const [detail, hosts, activity, vars, plans, usage, quota] = await Promise.all([
      api.admin.users.get({ id }),
      api.admin.hosts.list(),
      api.admin.activity.list({ aboutPerson: id, limit: 20 }),
      api.admin.users.env.list({ id }),
      api.admin.plans.list(),
      api.admin.users.usage({ id }),
      api.admin.users.quota({ id }),
    ]);
    const agent = detail.agent;
    const runs = agent ? await api.admin.runs.list({ agentId: agent.id, limit: 10 }) : [];
    return {
      detail,
      hostName: hosts.find((h) => h.id === agent?.hostId)?.name ?? null,
      runs,
      activity: activity.items,
      vars,
      // The current plan stays listed even when archived, so the select shows what the person is on.
      plans: plans
        .filter((p) => !p.archivedAt || p.id === detail.person.planId)
        .map((p) => ({ id: p.id, name: p.name, archived: Boolean(p.archivedAt) })),
      usage,
      quota,
    };
  } catch (error) {
    if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') return { error: error.message };
    throw error;
  }
}

export default async function PersonPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [viewer, data] = await Promise.all([getViewer(), load(id)]);
  if ('error' in data) {
    return (
      <p role="alert" className="text-danger">
        {data.error}
      </p>
    );
  }
  const { person } = data.detail;
  // Their portal as they see it, read-only; not for oneself (that is one's own dashboard).
  const portalHref = person.username && viewer?.id !== id ? await portalView(person.username) : undefined;
  // Fast while a run moves (a retry, a new image, a plan change), so its steps and the agent's state
  // follow; slowly otherwise, for what the worker changes on its own.
  const moving = data.runs.some((r) => r.status === 'queued' || r.status === 'running');
  return (
    <>
      <RefreshEvery ms={moving ? 2_000 : 15_000} />
      <PersonDetail data={data} isSelf={viewer?.id === id} portalHref={portalHref} />
    </>
  );
}
