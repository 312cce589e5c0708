import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { serverCaller } from '~/server/caller';
import { NewPlanButton, PlanActions } from './plan-actions';
import { type PlanSummary, planFigures } from './plan-figures';

export const metadata: Metadata = { title: 'Plans' };

/**
 * Plans (docs/ARCHITECTURE.md, "Plans and quotas"): what each person may use, each with its figures and
 * how many people are on it. Rendered on the server; the buttons and the create/edit dialog are the only
 * parts in the browser. People are put on a plan from the People list or the person's page.
 */
export default async function PlansPage() {
  const plans = await (await serverCaller()).admin.plans.list();
  const active = plans.filter((p) => !p.archivedAt);
  const archived = plans.filter((p) => p.archivedAt);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Plans</h1>
        <NewPlanButton />
      </div>
      <p className="text-sm text-muted">
        Every person is on one plan; new people get the default. Put people on a plan from the{' '}
        <Link href="/admin/people" className="text-accent underline">
          People
        </Link>{' '}
        list or a person's page. New limits reach running agents at once: each is provisioned again, its data
        kept.
      </p>
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
    </div>
  );
}

function PlanCard({ plan }: { plan: PlanSummary }) {
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
      <PlanActions plan={plan} />
    </Card>
  );
}
