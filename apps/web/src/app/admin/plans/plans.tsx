'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Dialog } from '~/components/ui/dialog';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';
import { type PlanSummary, planFigures } from './plan-figures';
import { PlanForm, type PlanFormValues } from './plan-form';

/** The plans, each with its figures and how many people are on it; create, edit, default, archive. */
export function Plans() {
  const trpc = useTRPC();
  const list = useQuery(trpc.admin.plans.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const plans = list.data ?? [];
  const active = plans.filter((p) => !p.archivedAt);
  const archived = plans.filter((p) => p.archivedAt);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Plans</h1>
        <Button onClick={() => setCreating(true)}>New plan</Button>
      </div>
      <p className="text-sm text-muted">
        Every person is on one plan; new people get the default. Put people on a plan from the{' '}
        <Link href="/admin/people" className="text-accent underline">
          People
        </Link>{' '}
        list or a person's page. New limits reach running agents at once: each is provisioned again, its data
        kept.
      </p>
      {list.error ? (
        <p role="alert" className="text-sm text-danger">
          {list.error.message}
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {active.map((plan) => (
          <PlanCard key={plan.id} plan={plan} />
        ))}
      </div>
      {archived.length > 0 ? (
        <>
          <h2 className="text-lg font-semibold">Archived</h2>
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
            {archived.map((plan) => (
              <PlanCard key={plan.id} plan={plan} />
            ))}
          </div>
        </>
      ) : null}
      <CreatePlanDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function CreatePlanDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const create = useMutation(
    trpc.admin.plans.create.mutationOptions({
      onSuccess: (plan) => {
        toast(`Plan ${plan.name} created.`);
        void queryClient.invalidateQueries(trpc.admin.plans.list.queryFilter());
        onClose();
      },
    }),
  );
  return (
    <Dialog open={open} onClose={onClose} title="New plan">
      {open ? (
        <PlanForm
          pending={create.isPending}
          error={create.error?.message ?? null}
          submitLabel="Create plan"
          onSubmit={(values) => create.mutate(values)}
          onCancel={onClose}
        />
      ) : null}
    </Dialog>
  );
}

function PlanCard({ plan }: { plan: PlanSummary }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const update = useMutation(
    trpc.admin.plans.update.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.admin.plans.list.queryFilter()),
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  const save = (values: PlanFormValues) =>
    update.mutate(
      { id: plan.id, ...values },
      {
        onSuccess: (saved) => {
          toast(`Plan ${saved.name} saved.`);
          setEditing(false);
        },
      },
    );
  const people = `${plan.people.toLocaleString('en')} ${plan.people === 1 ? 'person' : 'people'}`;
  return (
    <Card
      title={
        <span className="flex flex-wrap items-center gap-2">
          {plan.name}
          {plan.isDefault ? <Badge tone="accent">default</Badge> : null}
          {plan.archivedAt ? <Badge>archived</Badge> : null}
        </span>
      }
      actions={
        <Link
          href={`/admin/people?plan=${encodeURIComponent(plan.id)}`}
          className="text-sm text-accent hover:underline"
        >
          {people}
        </Link>
      }
    >
      {plan.description ? <p className="mb-3 text-sm text-muted">{plan.description}</p> : null}
      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm">
        {planFigures(plan).map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-muted">{label}</dt>
            <dd className="break-all">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-4 flex flex-wrap gap-2">
        {plan.archivedAt ? (
          <Button
            variant="secondary"
            disabled={update.isPending}
            onClick={() => update.mutate({ id: plan.id, archived: false })}
          >
            Restore
          </Button>
        ) : (
          <>
            <Button variant="secondary" onClick={() => setEditing(true)}>
              Edit
            </Button>
            {plan.isDefault ? null : (
              <Button
                variant="secondary"
                disabled={update.isPending}
                onClick={() =>
                  update.mutate(
                    { id: plan.id, isDefault: true },
                    { onSuccess: () => toast(`New people now get ${plan.name}.`) },
                  )
                }
              >
                Make default
              </Button>
            )}
            {plan.isDefault ? null : (
              <Button
                variant="ghost"
                disabled={update.isPending}
                onClick={() =>
                  update.mutate(
                    { id: plan.id, archived: true },
                    { onSuccess: () => toast(`${plan.name} archived.`) },
                  )
                }
              >
                Archive
              </Button>
            )}
          </>
        )}
      </div>
      <Dialog open={editing} onClose={() => setEditing(false)} title={`Edit ${plan.name}`}>
        {editing ? (
          <PlanForm
            plan={plan}
            pending={update.isPending}
            error={update.error?.message ?? null}
            submitLabel="Save plan"
            onSubmit={save}
            onCancel={() => setEditing(false)}
          />
        ) : null}
      </Dialog>
    </Card>
  );
}
