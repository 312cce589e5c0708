'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Dialog } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { addHost } from './actions';
import type { DialogProps } from './host-answers';

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

/**
 * "Add host": an SSH host with its pinned host-key fingerprint and a key file or a key to encrypt.
 * Loaded by AddHostButton when first opened (a default export, for React.lazy), so the form is not in
 * the hosts page's first load (`pnpm bench pages`).
 */
export default function AddHostDialog({ open, onClose }: Pick<DialogProps, 'open' | 'onClose'>) {
  const toast = useToast();
  const [form, setForm] = useState(emptyHostForm);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const add = useAction(addHost);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const answer = await add.run({
      name: form.name,
      transport: 'ssh',
      address: form.address,
      port: Number(form.port),
      user: form.user,
      hostKeyFingerprint: form.hostKeyFingerprint,
      capacity: Number(form.capacity),
      ...(form.privateKey.trim() ? { privateKey: form.privateKey } : { keyPath: form.keyPath }),
    });
    if (!answer.ok) {
      toast(answer.error, 'error');
      return;
    }
    toast(`Added ${answer.data}.`);
    onClose();
    // The next host starts from a blank form: no name, and no private key left in memory.
    setForm(emptyHostForm);
  }
  return (
    <Dialog open={open} onClose={onClose} title="Add an SSH host">
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
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={add.pending}>
            Add host
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
