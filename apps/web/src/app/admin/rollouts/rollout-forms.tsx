'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { ConfirmDialog } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { pauseRollout, resumeRollout, rollbackRollout, setDefaultImage, startRollout } from './actions';

// The Rollouts page's islands: its two forms and the latest rollout's buttons. The page around them
// is rendered on the server (page.tsx); each action re-renders it.

/** Sets or clears the default image; `busy` while a rollout owns it. */
export function DefaultImageForm({ busy, current }: { busy: boolean; current: string | null }) {
  const toast = useToast();
  const [image, setImage] = useState('');
  const set = useAction(setDefaultImage);
  const send = async (next: string | null) => {
    const answer = await set.run({ image: next });
    if (!answer.ok) return toast(answer.error, 'error');
    toast(answer.data ? `New agents now run ${answer.data}.` : 'The default image is cleared.');
    setImage('');
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send(image.trim());
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3">
      <Field
        id="default-image"
        label="New default image"
        placeholder="registry.example.com/agent:2"
        value={image}
        onChange={(e) => setImage(e.target.value)}
        required
        hint="New agents and later starts take it; running agents keep theirs until a rollout moves them."
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={busy || set.pending || !image.trim()}>
          {set.pending ? 'Saving…' : 'Set default'}
        </Button>
        {current ? (
          <Button variant="secondary" disabled={busy || set.pending} onClick={() => void send(null)}>
            Clear
          </Button>
        ) : null}
      </div>
      {busy ? <p className="text-sm text-muted">A rollout owns the default image until it ends.</p> : null}
    </form>
  );
}

export function StartRolloutForm({ busy }: { busy: boolean }) {
  const toast = useToast();
  const [image, setImage] = useState('');
  const [batchSize, setBatchSize] = useState('1');
  const [threshold, setThreshold] = useState('10');
  const start = useAction(startRollout);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await start.run({
      image: image.trim(),
      batchSize: Number(batchSize),
      failureThresholdPercent: Number(threshold),
    });
    if (!answer.ok) return toast(answer.error, 'error');
    const rollout = answer.data;
    toast(
      rollout.total === 0
        ? `No running agent needed moving; ${rollout.toImage} is the default now.`
        : `Rolling ${rollout.total} agents out to ${rollout.toImage}.`,
    );
    setImage('');
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3">
      <Field
        id="rollout-image"
        label="Image"
        placeholder="registry.example.com/agent:2"
        value={image}
        onChange={(e) => setImage(e.target.value)}
        required
      />
      <div className="grid grid-cols-2 gap-3">
        <Field
          id="rollout-batch"
          label="Batch size"
          type="number"
          min={1}
          max={1000}
          value={batchSize}
          onChange={(e) => setBatchSize(e.target.value)}
          required
          hint="Agents at a time"
        />
        <Field
          id="rollout-threshold"
          label="Failure threshold %"
          type="number"
          min={0}
          max={100}
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
          required
          hint="Stops past this share"
        />
      </div>
      <div>
        <Button type="submit" disabled={busy || start.pending || !image.trim()}>
          {start.pending ? 'Starting…' : 'Start rollout'}
        </Button>
      </div>
      <p className="text-sm text-muted">
        Running agents without an image of their own are provisioned again, a batch at a time, each batch
        healthy before the next. Their data is kept.
      </p>
    </form>
  );
}

/** Pause, resume and roll back (after a confirmation) the latest rollout, as its status allows. */
export function RolloutControls({
  id,
  status,
  fromImage,
}: {
  id: string;
  status: string;
  fromImage: string | null;
}) {
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const pause = useAction(pauseRollout);
  const resume = useAction(resumeRollout);
  const rollback = useAction(rollbackRollout);
  const act = async (action: typeof pause) => {
    const answer = await action.run({ id });
    if (!answer.ok) toast(answer.error, 'error');
    setConfirming(false);
  };
  return (
    <div className="mb-4 flex flex-wrap gap-2">
      {status === 'running' ? (
        <Button variant="secondary" disabled={pause.pending} onClick={() => act(pause)}>
          {pause.pending ? 'Pausing…' : 'Pause'}
        </Button>
      ) : null}
      {status === 'paused' ? (
        <Button variant="secondary" disabled={resume.pending} onClick={() => act(resume)}>
          {resume.pending ? 'Resuming…' : 'Resume'}
        </Button>
      ) : null}
      {['running', 'paused', 'stopped_failed', 'completed'].includes(status) ? (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Roll back
        </Button>
      ) : null}
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Roll this rollout back?"
        confirmLabel="Roll back"
        pendingLabel="Rolling back…"
        pending={rollback.pending}
        onConfirm={() => act(rollback)}
        tone="danger"
      >
        Every agent it changed goes back to the image it ran before, the failed ones first, and the default
        image goes back to {fromImage ?? "the worker's"}. Agents it never reached keep theirs.
      </ConfirmDialog>
    </div>
  );
}
