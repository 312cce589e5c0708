import type { Metadata } from 'next';
import Link from 'next/link';
import { BulkOutcomeLine, BulkSelection, SelectAll, SelectRow } from '~/components/bulk-selection';
import { SearchX } from '~/components/icons';
import { LoadMore, pageCount, readPages } from '~/components/load-more';
import { Badge, StatusBadge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { ScrollArea } from '~/components/ui/scroll-area';
import { TimeAgo } from '~/components/ui/time';
import { serverCaller } from '~/server/caller';
import { PeopleFilters } from './people-filters';
import { peopleQueryInput, personStatusOrNone, planIdOrNone, roleOrNone } from './people-query';
import { SetPlanForm } from './set-plan-form';

export const metadata: Metadata = { title: 'People' };

type Params = { status?: string; role?: string; plan?: string; q?: string; pages?: string };

/**
 * Filter by status, role and plan, search email/username/name, page through with a stable order; select
 * people and put them on a plan. Rendered on the server from the address's search params.
 */
export default async function PeoplePage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const status = personStatusOrNone(params.status);
  const role = roleOrNone(params.role);
  const planId = planIdOrNone(params.plan);
  const search = (params.q ?? '').trim().slice(0, 200);
  const pages = pageCount(params.pages);
  const api = await serverCaller();
  const input = peopleQueryInput({ status, role, search, planId });
  const [people, plans] = await Promise.all([
    readPages(pages, (cursor) => api.admin.users.list({ ...input, cursor })),
    api.admin.plans.list(),
  ]);
  const rows = people.items;
  return (
    <>
      <h1 className="text-2xl font-semibold">People</h1>
      <Card>
        <PeopleFilters
          status={status}
          role={role}
          planId={planId}
          search={search}
          counts={people.first.counts}
          plans={plans.map((p) => ({ id: p.id, name: p.name, people: p.people }))}
        >
          <BulkSelection rows={rows.map((p) => ({ id: p.id, name: p.username ?? p.email }))}>
            <SetPlanForm
              plans={plans.filter((p) => !p.archivedAt).map((p) => ({ id: p.id, name: p.name }))}
            />
            <BulkOutcomeLine />
            {rows.length === 0 ? (
              <EmptyState icon={SearchX}>Nobody matches.</EmptyState>
            ) : (
              <ScrollArea label="People">
                <table className="stack-table w-full text-left text-sm">
                  <thead className="text-muted">
                    <tr>
                      <th className="w-8 py-2 pr-3">
                        <SelectAll label="Select all shown" />
                      </th>
                      <th className="py-2 pr-3 font-medium">Person</th>
                      <th className="py-2 pr-3 font-medium">Status</th>
                      <th className="py-2 pr-3 font-medium">Agent</th>
                      <th className="py-2 pr-3 font-medium">Plan</th>
                      <th className="py-2 font-medium">Joined</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((p) => (
                      <tr key={p.id} className="border-t border-border">
                        <td data-label="Select" className="py-2 pr-3">
                          <SelectRow id={p.id} />
                        </td>
                        <td data-label="Person" className="py-2 pr-3">
                          <Link
                            href={`/admin/people/${p.id}`}
                            className="font-medium text-accent hover:underline"
                          >
                            {p.username ?? p.email}
                          </Link>
                          <div className="text-xs text-muted">
                            {p.email} {p.role === 'admin' ? <Badge tone="accent">admin</Badge> : null}
                          </div>
                        </td>
                        <td data-label="Status" className="py-2 pr-3">
                          <StatusBadge status={p.status} />
                        </td>
                        <td data-label="Agent" className="py-2 pr-3">
                          {p.agentObservedState ? <StatusBadge status={p.agentObservedState} /> : '—'}
                        </td>
                        <td data-label="Plan" className="py-2 pr-3">
                          {p.planName ?? '—'}
                        </td>
                        <td data-label="Joined" className="py-2">
                          <TimeAgo date={p.createdAt} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollArea>
            )}
          </BulkSelection>
          {people.more ? <LoadMore params={{ status, role, plan: planId, q: search }} pages={pages} /> : null}
        </PeopleFilters>
      </Card>
    </>
  );
}
