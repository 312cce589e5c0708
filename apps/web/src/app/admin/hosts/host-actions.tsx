'use client';

import { useMutation } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { ConfirmDialog, Dialog } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

const emptyHostForm = {
  name: '',
  address: '',
  port: '22',
  user: 'root',
  keyPath: '',
  privateKey: '',
  hostKeyFingerprint: '',
  capacity: '10',
};

/** "Add host": an SSH host with its pinned host-key fingerprint and a key file or a key to encrypt. */
export function AddHostButton() {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(emptyHostForm);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const add = useMutation(
    trpc.admin.hosts.add.mutationOptions({
      onSuccess: (h) => {
        toast(`Added ${h.name}.`);
        setOpen(false);
        // The next host starts from a blank form: no name, and no private key left in memory.
        setForm(emptyHostForm);
        router.refresh();
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate({
      name: form.name,
      transport: 'ssh',
      address: form.address,
      port: Number(form.port),
      user: form.user,
      hostKeyFingerprint: form.hostKeyFingerprint,
      capacity: Number(form.capacity),
      ...(form.privateKey.trim() ? { privateKey: form.privateKey } : { keyPath: form.keyPath }),
    });
  }
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <Plus aria-hidden="true" className="size-4" />
        Add host
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Add an SSH host">
        <form onSubmit={submit} className="flex max-h-[70vh] flex-col gap-3 overflow-y-auto">
          <Field id="host-name" label="Name" value={form.name} onChange={set('name')} required />
          <Field
            id="host-address"
            label="Address"
            hint="Host name or IP address."
            value={form.address}
            onChange={set('address')}
            required
          />
          <div className="grid grid-cols-2 gap-3">
            <Field id="host-port" label="Port" inputMode="numeric" value={form.port} onChange={set('port')} />
            <Field id="host-user" label="SSH user" value={form.user} onChange={set('user')} />
          </div>
          <Field
            id="host-fingerprint"
            label="Host key fingerprint"
            hint="As ssh-keygen -lf prints it (SHA256:…). A host presenting another key is refused."
            value={form.hostKeyFingerprint}
            onChange={set('hostKeyFingerprint')}
            required
          />
          <Field
            id="host-key-path"
            label="Private key file on the worker"
            hint="An absolute path, or paste the key below instead."
            value={form.keyPath}
            onChange={set('keyPath')}
          />
          <div className="flex flex-col gap-1">
            <label htmlFor="host-private-key" className="text-sm font-medium">
              Private key (stored encrypted)
            </label>
            <textarea
              id="host-private-key"
              rows={3}
              className="rounded-md border border-border bg-surface px-3 py-2 font-mono text-xs"
              value={form.privateKey}
              onChange={set('privateKey')}
            />
          </div>
          <Field
            id="host-capacity"
            label="Capacity (agents)"
            inputMode="numeric"
            value={form.capacity}
            onChange={set('capacity')}
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={add.isPending}>
              Add host
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

/**
 * Drain (no new agents are placed), put a drained host back into use, or remove it (only once empty).
 * Drain and remove ask first: one changes where agents land, the other forgets the host's key.
 */
export function HostControls({
  id,
  name,
  status,
  agents,
}: {
  id: string;
  name: string;
  status: string;
  agents: number;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [confirming, setConfirming] = useState<'drain' | 'remove' | null>(null);
  const done = (message: string) => () => {
    toast(message);
    router.refresh();
  };
  const handlers = {
    onError: (e: { message: string }) => toast(e.message, 'error'),
    onSettled: () => setConfirming(null),
  };
  const drain = useMutation(
    trpc.admin.hosts.drain.mutationOptions({
      onSuccess: done(`${name} is draining: no new agents go there.`),
      ...handlers,
    }),
  );
  const activate = useMutation(
    trpc.admin.hosts.activate.mutationOptions({
      onSuccess: done(`${name} is back in use: new agents may go there.`),
      ...handlers,
    }),
  );
  const remove = useMutation(
    trpc.admin.hosts.remove.mutationOptions({ onSuccess: done(`Removed ${name}.`), ...handlers }),
  );
  return (
    <div className="mt-4 flex flex-wrap gap-2">
      {status === 'active' ? (
        <Button variant="secondary" className="px-3 py-1" onClick={() => setConfirming('drain')}>
          Drain
        </Button>
      ) : (
        <Button
          variant="secondary"
          className="px-3 py-1"
          onClick={() => activate.mutate({ id })}
          disabled={activate.isPending}
        >
          {activate.isPending ? 'Putting back…' : 'Put back in use'}
        </Button>
      )}
      <Button
        variant="danger"
        className="px-3 py-1"
        onClick={() => setConfirming('remove')}
        disabled={agents > 0}
        title={agents > 0 ? 'Move or remove its agents first' : undefined}
      >
        Remove
      </Button>
      <ConfirmDialog
        open={confirming === 'drain'}
        onClose={() => setConfirming(null)}
        title={`Drain ${name}?`}
        confirmLabel="Drain host"
        pendingLabel="Draining…"
        pending={drain.isPending}
        onConfirm={() => drain.mutate({ id })}
      >
        Its agents keep running; new agents go to other hosts. You can put it back in use later.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming === 'remove'}
        onClose={() => setConfirming(null)}
        title={`Remove ${name}?`}
        confirmLabel="Remove host"
        pendingLabel="Removing…"
        pending={remove.isPending}
        onConfirm={() => remove.mutate({ id })}
        tone="danger"
      >
        The portal forgets the host, its pinned fingerprint and its stored key. Nothing on the machine is
        touched. To use it again, add it anew.
      </ConfirmDialog>
    </div>
  );
}
