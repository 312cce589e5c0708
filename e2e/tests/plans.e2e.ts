/**
 * Plans from the admin's side, every part real (production web server, worker, embedded Postgres, the
 * local host running a sample-agent process): a plan made on the Plans page, a person put on it from the
 * People list, their running agent provisioned again once, their public URL turned off (the dashboard
 * says why and the API refuses it with a 409), and archiving refused while anyone is on the plan.
 */

import { expect, test } from 'vitest';
import { useFullStack } from '../src/full-stack';
import { browserErrors, onboardThroughApi } from '../src/page-checks';

const stack = useFullStack();

interface RunAnswer {
  kind: string;
  status: string;
}

test('make a plan, put someone on it: their agent is provisioned again and loses the public URL', {
  timeout: 300_000,
}, async () => {
  const context = await stack.browser.newContext();
  // The first person is the admin, active at once: their agent is provisioned without an approval.
  await onboardThroughApi(stack.app, context, 'planner@example.com', 'planner');
  const api = async <T>(route: string) =>
    (await (await context.request.get(`${stack.app.baseUrl}${route}`)).json()) as T;
  await expect
    .poll(async () => (await api<{ observedState: string }>('/api/me/agent')).observedState, {
      timeout: 120_000,
      interval: 1_000,
    })
    .toBe('running');
  const publicOn = await context.request.put(`${stack.app.baseUrl}/api/me/agent/public`, {
    data: { enabled: true },
    headers: { origin: stack.app.baseUrl },
  });
  expect(publicOn.status()).toBe(200);
  const provisionsBefore = (await api<RunAnswer[]>('/api/me/runs')).filter(
    (r) => r.kind === 'provision',
  ).length;

  const page = await context.newPage();
  const errors = browserErrors(page);
  await page.goto(`${stack.app.baseUrl}/admin/plans`);
  await page
    .getByRole('region', { name: /Standard/ })
    .getByText('default', { exact: true })
    .waitFor();
  await page.getByRole('button', { name: 'New plan', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New plan' });
  await dialog.getByLabel('Name').fill('Small');
  await dialog.getByLabel('CPUs per agent').fill('0.5');
  await dialog.getByLabel('Memory per agent (MB)').fill('256');
  await dialog.getByLabel('Agent-hours per month').fill('40');
  await dialog.getByLabel('Public URL allowed').uncheck();
  await dialog.getByRole('button', { name: 'Create plan', exact: true }).click();
  await page.getByText('Plan Small created.').waitFor();
  const small = page.getByRole('region', { name: 'Small' });
  await small.getByText('40 per month').waitFor();
  await small.getByText('not allowed').waitFor();
  await small.getByRole('link', { name: '0 people' }).waitFor();

  // Onto the plan from the People list, as a bulk action with a result per person.
  await page.goto(`${stack.app.baseUrl}/admin/people`);
  await page.getByLabel('Select planner').check();
  await page.getByLabel('Put the selected people on').selectOption({ label: 'Small' });
  await page.getByRole('button', { name: 'Set plan (1)', exact: true }).click();
  await page.getByRole('status').getByText('Put on Small: planner.').waitFor();
  await page.locator('td[data-label="Plan"]', { hasText: 'Small' }).waitFor();

  expect((await api<{ name: string; memoryMb: number }>('/api/me/plan')).name).toBe('Small');
  // The forbidden public URL went off with the change; turning it on again is refused with the reason.
  expect((await api<{ publicUrlEnabled: boolean }>('/api/me/agent')).publicUrlEnabled).toBe(false);
  const refused = await context.request.put(`${stack.app.baseUrl}/api/me/agent/public`, {
    data: { enabled: true },
    headers: { origin: stack.app.baseUrl },
  });
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
    'does not allow a public URL',
  );
  // One new provision run, through the normal steps, and the agent is running again.
  await expect
    .poll(
      async () => {
        const runs = (await api<RunAnswer[]>('/api/me/runs')).filter((r) => r.kind === 'provision');
        return runs.length > provisionsBefore ? runs[0]?.status : 'none yet';
      },
      { timeout: 120_000, interval: 1_000 },
    )
    .toBe('succeeded');
  expect((await api<RunAnswer[]>('/api/me/runs')).filter((r) => r.kind === 'provision')).toHaveLength(
    provisionsBefore + 1,
  );

  // The dashboard says why the switch is off, and counts the month's hours against the plan's 40.
  await page.goto(stack.app.baseUrl);
  const card = page.getByRole('region', { name: 'Public URL' });
  await card.getByText('Your plan, Small, does not include a public URL.').waitFor();
  expect(await card.getByRole('switch').isDisabled()).toBe(true);
  await page.getByRole('region', { name: 'Usage' }).getByText('Agent running, of 40 h').waitFor();

  // An admin grants a one-off top-up on the person's page: this month's limit becomes 45 h.
  await page.goto(`${stack.app.baseUrl}/admin/people`);
  await page.getByRole('link', { name: 'planner', exact: true }).click();
  const quota = page.getByRole('region', { name: 'Agent-hours quota' });
  await quota.getByLabel('Grant top-up (agent-hours, this month)').fill('5');
  await quota.getByLabel('Reason').fill('Conference week');
  await quota.getByRole('button', { name: 'Grant top-up', exact: true }).click();
  await page.getByText('Granted; their limit this month is 45 h.').waitFor();

  // A plan in use cannot be archived: the admin is told how many are on it.
  await page.goto(`${stack.app.baseUrl}/admin/plans`);
  await page
    .getByRole('region', { name: 'Small' })
    .getByRole('button', { name: 'Archive', exact: true })
    .click();
  await page
    .getByText('1 person is on “Small”; move them to another plan before archiving it.')
    .first()
    .waitFor();
  await page.getByRole('region', { name: 'Small' }).getByRole('link', { name: '1 person' }).waitFor();

  // The person's page shows the plan and can change it back.
  await page.goto(`${stack.app.baseUrl}/admin/people`);
  await page.getByRole('link', { name: 'planner', exact: true }).click();
  await page.getByLabel('Plan', { exact: true }).selectOption({ label: 'Standard' });
  await page.getByRole('button', { name: 'Set plan', exact: true }).click();
  await page.getByText('Plan set to Standard.').waitFor();
  expect((await api<{ name: string }>('/api/me/plan')).name).toBe('Standard');
  // The refused archive is the action's answer, shown as a toast: no failed request in the console.
  expect(errors, 'console errors or hydration warnings').toEqual([]);
  await context.close();
});
