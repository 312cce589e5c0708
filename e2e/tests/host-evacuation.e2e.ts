/**
 * Moves and evacuations in the admin panel, with every part real (production web server, worker,
 * embedded Postgres, the local host running sample-agent processes): the Agents page's "Move…" dialog
 * offers the hosts with room, and the Hosts page evacuates a draining host with live progress. The
 * only other host here is the same machine, so nothing is actually moved: placement finds no active
 * host with room, and the evacuation reports each agent it could not move, and why.
 */

import { expect, test } from 'vitest';
import { useFullStack } from '../src/full-stack';
import { browserErrors, onboardedContext, seriousAxeFindings } from '../src/page-checks';

const stack = useFullStack();

const signUp = (email: string, username: string) =>
  onboardedContext(stack.browser, stack.app, email, username);

interface HostRow {
  id: string;
  name: string;
  status: string;
}

test('Move… lists the hosts with room; evacuating a draining host shows its progress and failures', {
  timeout: 300_000,
}, async () => {
  const admin = await signUp('move-admin@example.com', 'moveadmin');
  await signUp('gus@example.com', 'gus');
  const origin = { origin: stack.app.baseUrl };
  const pending = (await (
    await admin.request.get(`${stack.app.baseUrl}/api/users?status=pending`)
  ).json()) as {
    items: { id: string }[];
  };
  await admin.request.post(`${stack.app.baseUrl}/api/users/approve`, {
    data: { ids: pending.items.map((p) => p.id) },
    headers: origin,
  });
  await expect
    .poll(
      async () =>
        (
          (await (await admin.request.get(`${stack.app.baseUrl}/api/agents`)).json()) as {
            observedState: string;
          }[]
        )
          .map((a) => a.observedState)
          .join(),
      { timeout: 120_000, interval: 1_000 },
    )
    .toBe('running,running');

  // A second host with room for one: the dialog offers it.
  const added = await admin.request.post(`${stack.app.baseUrl}/api/hosts`, {
    data: { name: 'spare', transport: 'local', capacity: 1 },
    headers: origin,
  });
  expect(added.status(), await added.text()).toBe(200);
  const page = await admin.newPage();
  const errors = browserErrors(page);
  await page.goto(`${stack.app.baseUrl}/admin/agents`);
  await page.getByRole('button', { name: 'Move… gus' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move gus' });
  await dialog.getByLabel('Target host').waitFor();
  expect(await dialog.getByRole('option').allTextContents()).toEqual(['spare (1 free)']);
  expect(await seriousAxeFindings(page), 'the Move dialog').toEqual([]);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Both hosts draining: an evacuation of the local host finds nowhere to put its agents.
  const hosts = (await (await admin.request.get(`${stack.app.baseUrl}/api/hosts`)).json()) as HostRow[];
  for (const host of hosts) {
    const drained = await admin.request.post(`${stack.app.baseUrl}/api/hosts/${host.id}/drain`, {
      headers: origin,
    });
    expect(drained.status()).toBe(200);
  }
  const local = hosts.find((h) => h.name === 'local')!;
  await page.goto(`${stack.app.baseUrl}/admin/hosts`);
  const card = page.getByRole('region', { name: 'local evacuation' });
  await card.getByRole('button', { name: 'Evacuate' }).click();
  const confirm = page.getByRole('dialog', { name: 'Evacuate local?' });
  await confirm.getByLabel('Agents moved at once').fill('1');
  expect(await seriousAxeFindings(page), 'the Evacuate dialog').toEqual([]);
  await confirm.getByRole('button', { name: 'Evacuate host' }).click();
  // Live, without a reload: the rounds settle both agents as not moved, with the reason.
  await expect
    .poll(() => card.getByTestId('host-evacuation').textContent(), { timeout: 60_000 })
    .toContain('0 of 2 moved, 2 failed');
  await card.getByText('gus', { exact: true }).waitFor();
  expect(await card.textContent()).toContain('No active host has free capacity');
  // Nothing was touched: both agents still run on the local host.
  const evacuation = (await (
    await admin.request.get(`${stack.app.baseUrl}/api/hosts/${local.id}/evacuation`)
  ).json()) as {
    evacuation: { status: string; total: number; moved: number; failed: number };
  };
  expect(evacuation.evacuation).toMatchObject({ status: 'finished', total: 2, moved: 0, failed: 2 });
  const agents = (await (await admin.request.get(`${stack.app.baseUrl}/api/agents`)).json()) as {
    observedState: string;
    host: { name: string } | null;
  }[];
  expect(agents.map((a) => `${a.host?.name}:${a.observedState}`)).toEqual(['local:running', 'local:running']);
  expect(errors, 'errors in the browser').toEqual([]);
});
