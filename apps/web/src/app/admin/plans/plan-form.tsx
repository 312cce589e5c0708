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

type NumberKey = {
  [K in keyof PlanFormValues]: PlanFormValues[K] extends number | null ? K : never;
}[keyof PlanFormValues];

/** The numeric figures: key, label, smallest value, step, and what leaving it empty means. */
const numberFields: readonly [NumberKey, string, string, string, string][] = [
  ['cpus', 'CPUs per agent', '0.01', '0.01', 'deployment default'],
  ['memoryMb', 'Memory per agent (MB)', '64', '1', 'deployment default'],
  ['apiRequestsPerMinute', 'API requests per minute', '1', '1', 'deployment default'],
  ['monthlyAgentHours', 'Agent-hours per month', '0', '1', 'unlimited'],
  ['monthlyApiCalls', 'API calls per month', '0', '1', 'unlimited'],
  ['maxApiTokens', 'API tokens a person may hold', '0', '1', 'unlimited'],
];

type Text = Record<Exclude<keyof PlanFormValues, 'publicUrlAllowed'>, string>;

function textOf(plan?: PlanSummary): Text {
  const text = {
    name: plan?.name ?? '',
    description: plan?.description ?? '',
    agentImage: plan?.agentImage ?? '',
  } as Text;
  for (const [key] of numberFields) text[key] = plan?.[key] == null ? '' : String(plan[key]);
  return text;
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
    const figures = Object.fromEntries(numberFields.map(([key]) => [key, numberOrNull(text[key])]));
    onSubmit({
      ...(figures as Pick<PlanFormValues, NumberKey>),
      name: text.name.trim(),
      description: text.description.trim(),
      publicUrlAllowed,
      agentImage: text.agentImage.trim() || null,
    });
  };
  const id = plan?.id ?? 'new';
  return (
    <form onSubmit={submit} className="flex flex-col gap-3">
      <Field id={`plan-${id}-name`} label="Name" required maxLength={60} {...field('name')} />
      <Field id={`plan-${id}-description`} label="Description" maxLength={500} {...field('description')} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {numberFields.map(([key, label, min, step, empty]) => (
          <Field
            key={key}
            id={`plan-${id}-${key}`}
            label={label}
            type="number"
            min={min}
            step={step}
            placeholder={empty}
            {...field(key)}
          />
        ))}
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
