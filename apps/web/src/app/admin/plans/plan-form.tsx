'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import type { PlanSummary } from './plan-figures';

export interface PlanFormValues {
  name: string;
  description: string;
  cpus: number | null;
  memoryMb: number | null;
  publicUrlAllowed: boolean;
  apiRequestsPerMinute: number | null;
  monthlyAgentHours: number | null;
  monthlyApiCalls: number | null;
  maxApiTokens: number | null;
  agentImage: string | null;
}

type Text = Record<Exclude<keyof PlanFormValues, 'publicUrlAllowed'>, string>;

function textOf(plan?: PlanSummary): Text {
  const s = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return {
    name: plan?.name ?? '',
    description: plan?.description ?? '',
    cpus: s(plan?.cpus),
    memoryMb: s(plan?.memoryMb),
    apiRequestsPerMinute: s(plan?.apiRequestsPerMinute),
    monthlyAgentHours: s(plan?.monthlyAgentHours),
    monthlyApiCalls: s(plan?.monthlyApiCalls),
    maxApiTokens: s(plan?.maxApiTokens),
    agentImage: s(plan?.agentImage),
  };
}

const numberOrNull = (text: string) => (text.trim() === '' ? null : Number(text));

/**
 * A plan's figures, to create one or edit it. An empty figure is the deployment's setting (CPU, memory,
 * API rate) or no limit (quotas, tokens); the server checks the rest and says what is wrong.
 */
export function PlanForm({
  plan,
  pending,
  error,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  plan?: PlanSummary;
  pending: boolean;
  error: string | null;
  submitLabel: string;
  onSubmit: (values: PlanFormValues) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState<Text>(() => textOf(plan));
  const [publicUrlAllowed, setPublicUrlAllowed] = useState(plan?.publicUrlAllowed ?? true);
  const field = (key: keyof Text) => ({
    value: text[key],
    onChange: (e: { target: { value: string } }) => setText((t) => ({ ...t, [key]: e.target.value })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({
      name: text.name.trim(),
      description: text.description.trim(),
      cpus: numberOrNull(text.cpus),
      memoryMb: numberOrNull(text.memoryMb),
      publicUrlAllowed,
      apiRequestsPerMinute: numberOrNull(text.apiRequestsPerMinute),
      monthlyAgentHours: numberOrNull(text.monthlyAgentHours),
      monthlyApiCalls: numberOrNull(text.monthlyApiCalls),
      maxApiTokens: numberOrNull(text.maxApiTokens),
      agentImage: text.agentImage.trim() || null,
    });
  };
  const id = plan?.id ?? 'new';
  return (
    <form onSubmit={submit} className="flex flex-col gap-3">
      <Field id={`plan-${id}-name`} label="Name" required maxLength={60} {...field('name')} />
      <Field id={`plan-${id}-description`} label="Description" maxLength={500} {...field('description')} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Field
          id={`plan-${id}-cpus`}
          label="CPUs per agent"
          type="number"
          min="0.01"
          step="0.01"
          placeholder="deployment default"
          {...field('cpus')}
        />
        <Field
          id={`plan-${id}-memory`}
          label="Memory per agent (MB)"
          type="number"
          min="64"
          step="1"
          placeholder="deployment default"
          {...field('memoryMb')}
        />
        <Field
          id={`plan-${id}-rate`}
          label="API requests per minute"
          type="number"
          min="1"
          step="1"
          placeholder="deployment default"
          {...field('apiRequestsPerMinute')}
        />
        <Field
          id={`plan-${id}-hours`}
          label="Agent-hours per month"
          type="number"
          min="0"
          step="1"
          placeholder="unlimited"
          {...field('monthlyAgentHours')}
        />
        <Field
          id={`plan-${id}-calls`}
          label="API calls per month"
          type="number"
          min="0"
          step="1"
          placeholder="unlimited"
          {...field('monthlyApiCalls')}
        />
        <Field
          id={`plan-${id}-tokens`}
          label="API tokens a person may hold"
          type="number"
          min="0"
          step="1"
          placeholder="unlimited"
          {...field('maxApiTokens')}
        />
      </div>
      <Field
        id={`plan-${id}-image`}
        label="Agent image"
        placeholder="empty: the person's own image or the default"
        {...field('agentImage')}
      />
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={publicUrlAllowed}
          onChange={(e) => setPublicUrlAllowed(e.target.checked)}
        />
        Public URL allowed
      </label>
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
      <div className="mt-2 flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending || text.name.trim() === ''}>
          {pending ? 'Saving…' : submitLabel}
        </Button>
      </div>
    </form>
  );
}
