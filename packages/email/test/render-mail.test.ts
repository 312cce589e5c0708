import { describe, expect, it } from 'vitest';
import { type Mail, type MailData, mailKinds, renderMail, renderMailOf } from '../src';

const samples: MailData = {
  approved: { name: 'Ada', agentUrl: 'https://ada.example.com/agent' },
  rejected: { name: 'Ada', reason: 'Not a member of the lab' },
  revoked: { name: 'Ada', reason: 'Left the lab' },
  agent_ready: { name: 'Ada', agentUrl: 'https://ada.example.com/agent' },
  admin_new_signup: {
    person: { email: 'ada@example.com', name: 'Ada Lovelace', username: 'ada' },
    approvalQueueUrl: 'https://example.com/admin/approvals',
  },
  magic_link: {
    url: 'https://example.com/api/auth/callback/email?token=abc&email=ada%40example.com',
    expiresInMinutes: 10,
  },
};

describe('renderMail', () => {
  it('gives every kind a subject, a plain-text part and a full HTML document', () => {
    const everyKind: Mail[] = [
      { kind: 'approved', to: 'ada@example.com', data: samples.approved },
      { kind: 'rejected', to: 'ada@example.com', data: samples.rejected },
      { kind: 'revoked', to: 'ada@example.com', data: samples.revoked },
      { kind: 'agent_ready', to: 'ada@example.com', data: samples.agent_ready },
      { kind: 'admin_new_signup', to: 'admin@example.com', data: samples.admin_new_signup },
      { kind: 'magic_link', to: 'ada@example.com', data: samples.magic_link },
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

  it('puts the agent URL in the approval and ready mails, as text and as a link', () => {
    for (const kind of ['approved', 'agent_ready'] as const) {
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
