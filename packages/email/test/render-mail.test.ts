import { describe, expect, it } from 'vitest';
import { type Mail, type MailData, mailKinds, renderMail, renderMailOf } from '../src';

const samples: MailData = {
  approved: { name: 'Ada', agentUrl: 'https://ada.example.com/agent' },
  rejected: { name: 'Ada', reason: 'Not a member of the lab' },
  revoked: { name: 'Ada', reason: 'Left the lab' },
  restored: { name: 'Ada' },
  agent_attention: {
    name: 'Ada',
    run: {
      kind: 'provision',
      step: 'run provision script',
      errorClass: 'host_unreachable',
      message: 'connect ECONNREFUSED 10.0.0.7:22',
    },
    adminsTold: true,
    dashboardUrl: 'https://ada.example.com/',
  },
  admin_agent_attention: {
    person: { username: 'ada', email: 'ada@example.com', name: 'Ada Lovelace' },
    run: {
      kind: 'provision',
      step: 'run provision script',
      errorClass: 'host_unreachable',
      message: 'connect ECONNREFUSED 10.0.0.7:22',
    },
    retryUrl: 'https://login.example.com/admin/people/person-1',
  },
  admin_new_signup: {
    person: { email: 'ada@example.com', name: 'Ada Lovelace', username: 'ada' },
    approvalQueueUrl: 'https://example.com/admin/approvals',
  },
  magic_link: {
    url: 'https://example.com/api/auth/callback/email?token=abc&email=ada%40example.com',
    expiresInMinutes: 10,
  },
  quota_warning: {
    name: 'Ada',
    forAdmin: false,
    person: { username: 'ada', email: 'ada@example.com' },
    usedHours: 8.25,
    limitHours: 10,
    resetsAt: '2027-01-01T00:00:00.000Z',
    url: 'https://ada.example.com/',
  },
  quota_exhausted: {
    forAdmin: true,
    person: { username: 'ada', email: 'ada@example.com' },
    usedHours: 10,
    limitHours: 10,
    resetsAt: '2027-01-01T00:00:00.000Z',
    url: 'https://login.example.com/admin/people/person-1',
  },
};

describe('renderMail', () => {
  it('says how many agent-hours were used, and the UTC day the quota starts again', () => {
    const warning = renderMail('quota_warning', samples.quota_warning);
    expect(warning.subject).toBe('Your agent has used 80% of its monthly agent-hours');
    expect(warning.text).toContain('8.3 of 10 agent-hours');
    expect(warning.text).toContain('1 January 2027');
    const exhausted = renderMail('quota_exhausted', samples.quota_exhausted);
    expect(exhausted.subject).toBe('ada’s agent has used its monthly agent-hours and was stopped');
    expect(exhausted.text).toContain('grant a one-off top-up');
  });

  it('gives every kind a subject, a plain-text part and a full HTML document', () => {
    const everyKind: Mail[] = [
      { kind: 'approved', to: 'ada@example.com', data: samples.approved },
      { kind: 'rejected', to: 'ada@example.com', data: samples.rejected },
      { kind: 'revoked', to: 'ada@example.com', data: samples.revoked },
      { kind: 'restored', to: 'ada@example.com', data: samples.restored },
      { kind: 'agent_attention', to: 'ada@example.com', data: samples.agent_attention },
      { kind: 'admin_agent_attention', to: 'admin@example.com', data: samples.admin_agent_attention },
      { kind: 'admin_new_signup', to: 'admin@example.com', data: samples.admin_new_signup },
      { kind: 'magic_link', to: 'ada@example.com', data: samples.magic_link },
      { kind: 'quota_warning', to: 'ada@example.com', data: samples.quota_warning },
      { kind: 'quota_exhausted', to: 'admin@example.com', data: samples.quota_exhausted },
    ];
    expect(everyKind.map((m) => m.kind)).toEqual([...mailKinds]);
    for (const input of everyKind) {
      const { kind } = input;
      const mail = renderMailOf(input);
      expect(mail.subject.length, kind).toBeGreaterThan(0);
      expect(mail.text.endsWith('— Pocket Smyth\n'), kind).toBe(true);
      expect(mail.html.startsWith('<!doctype html>'), kind).toBe(true);
      expect(mail.html, kind).toContain('</html>');
    }
  });

  it('puts the agent URL in the approval mail, as text and as a link', () => {
    for (const kind of ['approved'] as const) {
      const mail = renderMail(kind, samples[kind]);
      expect(mail.text).toContain('Hello Ada,');
      expect(mail.text).toContain('https://ada.example.com/agent');
      expect(mail.html).toContain('href="https://ada.example.com/agent"');
    }
  });

  it('shows the reason on rejection and revocation, and leaves the line out when there is none', () => {
    expect(renderMail('rejected', samples.rejected).text).toContain('Reason given: Not a member of the lab');
    expect(renderMail('revoked', samples.revoked).html).toContain('Reason given: Left the lab');
    const noReason = renderMail('rejected', { reason: null });
    expect(noReason.text).not.toContain('Reason');
    expect(noReason.html).not.toContain('Reason');
    expect(noReason.text.startsWith('Hello,\n')).toBe(true);
  });

  it('escapes a hostile reason in HTML and keeps it verbatim in plain text', () => {
    const reason = '<script>alert("owned")</script> & <img src=x onerror=alert(1)>';
    for (const kind of ['rejected', 'revoked'] as const) {
      const mail = renderMail(kind, { name: '"Eve" <eve@evil>', reason });
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).not.toContain('<img');
      expect(mail.html).toContain(
        '&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
      );
      expect(mail.html).toContain('Hello &quot;Eve&quot; &lt;eve@evil&gt;,');
      expect(mail.text).toContain(`Reason given: ${reason}`);
    }
  });

  it('tells admins who signed up, with the approval queue link, escaping what the person typed', () => {
    const mail = renderMail('admin_new_signup', {
      person: { email: 'mallory@example.com', name: '<b>Mallory</b>', username: 'mallory' },
      approvalQueueUrl: 'https://example.com/admin/approvals',
    });
    expect(mail.subject).toBe('New sign-up waiting for approval: mallory@example.com');
    expect(mail.text).toContain('<b>Mallory</b> <mallory@example.com> signed up for Pocket Smyth');
    expect(mail.text).toContain('Requested username: mallory');
    expect(mail.text).toContain('https://example.com/admin/approvals');
    expect(mail.html).toContain('&lt;b&gt;Mallory&lt;/b&gt; &lt;mallory@example.com&gt; signed up');
    expect(mail.html).toContain('href="https://example.com/admin/approvals"');
  });

  it('tells the person which run failed, at which step and why, that admins know, and links the dashboard', () => {
    const mail = renderMail('agent_attention', samples.agent_attention);
    expect(mail.subject).toBe('Your agent needs attention');
    expect(mail.text).toBe(
      [
        'Hello Ada,',
        'Setting up your agent failed, and it will not be tried again on its own.',
        'Run: provision\nStep: run provision script\nWhat went wrong: The host could not be reached. connect ECONNREFUSED 10.0.0.7:22',
        'An admin has been told and can retry it from the step that failed.',
        'Your dashboard shows each step and its output:\nhttps://ada.example.com/',
        '— Pocket Smyth\n',
      ].join('\n\n'),
    );
    expect(mail.html).toContain('>run provision script</td>');
    expect(mail.html).toContain('The host could not be reached. connect ECONNREFUSED 10.0.0.7:22');
    expect(mail.html).toContain('href="https://ada.example.com/"');

    const restart = renderMail('agent_attention', {
      ...samples.agent_attention,
      run: { kind: 'restart', step: null, errorClass: 'made_up_class', message: '' },
      adminsTold: false,
    });
    expect(restart.text).toContain('Restarting your agent failed');
    expect(restart.text).toContain('Run: restart\nWhat went wrong: It failed (made_up_class).');
    expect(restart.text).not.toContain('Step:');
    expect(restart.html).not.toContain('>Step</td>');
    expect(restart.text).toContain('An admin can retry it from the step that failed.');
    expect(restart.text).not.toContain('has been told');
  });

  it('tells admins whose agent failed, with the run, step and message and the page to retry it', () => {
    const mail = renderMail('admin_agent_attention', samples.admin_agent_attention);
    expect(mail.subject).toBe('Agent needs attention: ada (provision failed)');
    expect(mail.text).toContain(
      'Setting up the agent of Ada Lovelace <ada@example.com> (username ada) failed, and it will not be tried again on its own.',
    );
    expect(mail.text).toContain('Step: run provision script');
    expect(mail.text).toContain('What went wrong: The host could not be reached. connect ECONNREFUSED');
    expect(mail.text).toContain(
      'Retry it from the failed step:\nhttps://login.example.com/admin/people/person-1',
    );
    expect(mail.html).toContain('href="https://login.example.com/admin/people/person-1"');

    // A deleted person's removal: only the username is left.
    const removal = renderMail('admin_agent_attention', {
      person: { username: 'ada' },
      run: { kind: 'deprovision', step: 'remove agent', errorClass: 'script_failed', message: 'boom' },
      retryUrl: 'https://login.example.com/admin/people',
    });
    expect(removal.text).toContain('Removing the agent of ada failed');
    expect(removal.text).toContain('What went wrong: The host script reported an error. boom');
  });

  it('escapes the name, step and message in the attention mails and keeps them verbatim in plain text', () => {
    const message = 'provision: <script>alert("owned")</script> & <img src=x onerror=alert(1)>';
    const run = { kind: 'provision' as const, step: '<b>step</b>', errorClass: 'script_failed', message };
    const person = renderMail('agent_attention', {
      name: '"Eve" <eve@evil>',
      run,
      adminsTold: true,
      dashboardUrl: 'https://eve.example.com/',
    });
    const admin = renderMail('admin_agent_attention', {
      person: { username: 'eve', email: 'eve@example.com', name: '<i>Eve</i>' },
      run,
      retryUrl: 'https://login.example.com/admin/people/eve',
    });
    for (const mail of [person, admin]) {
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).not.toContain('<img');
      expect(mail.html).not.toContain('<b>step</b>');
      expect(mail.html).toContain(
        '&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
      );
      expect(mail.html).toContain('&lt;b&gt;step&lt;/b&gt;');
      expect(mail.text).toContain(`What went wrong: The host script reported an error. ${message}`);
      expect(mail.text).toContain('Step: <b>step</b>');
    }
    expect(person.html).toContain('Hello &quot;Eve&quot; &lt;eve@evil&gt;,');
    expect(admin.html).toContain('&lt;i&gt;Eve&lt;/i&gt; &lt;eve@example.com&gt;');
    expect(admin.html).not.toContain('<i>Eve</i>');
  });

  it('cuts a very long failure message so the mail stays readable', () => {
    const mail = renderMail('agent_attention', {
      ...samples.agent_attention,
      run: { ...samples.agent_attention.run, message: 'x'.repeat(5_000) },
    });
    const line = mail.text.split('\n').find((l) => l.startsWith('What went wrong:'))!;
    expect(line.endsWith('x…')).toBe(true);
    expect(line.length).toBeLessThan(600);
  });

  it('writes the sign-in link with its expiry, escaping the query string inside the attribute', () => {
    const mail = renderMail('magic_link', samples.magic_link);
    expect(mail.text).toContain(samples.magic_link.url);
    expect(mail.text).toContain('expires in 10 minutes');
    expect(mail.html).toContain(
      'href="https://example.com/api/auth/callback/email?token=abc&amp;email=ada%40example.com"',
    );
    expect(renderMail('magic_link', { ...samples.magic_link, expiresInMinutes: 1 }).text).toContain(
      'expires in 1 minute.',
    );
  });

  it('refuses a link that is not http(s)', () => {
    expect(() => renderMail('approved', { agentUrl: 'javascript:alert(1)' })).toThrow(/javascript:/);
  });
});
