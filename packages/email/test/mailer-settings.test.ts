import { describe, expect, it } from 'vitest';
import { emailEnv, mailerSettings } from '../src/env';

const settingsOf = (source: Record<string, string>) => mailerSettings(emailEnv.parse(source));

describe('the email env fragment', () => {
  it('is local when RESEND_API_KEY is missing or blank', () => {
    expect(settingsOf({})).toEqual({
      resendApiKey: null,
      from: 'Pocket Smyth <noreply@localhost>',
      resendBaseUrl: null,
    });
    expect(settingsOf({ RESEND_API_KEY: '  ' }).resendApiKey).toBeNull();
  });

  it('reads the key, sender and base URL', () => {
    expect(
      settingsOf({
        RESEND_API_KEY: 're_123',
        MAIL_FROM: 'Pocket Smyth <noreply@pocket.example>',
        RESEND_BASE_URL: 'http://127.0.0.1:9999',
      }),
    ).toEqual({
      resendApiKey: 're_123',
      from: 'Pocket Smyth <noreply@pocket.example>',
      resendBaseUrl: 'http://127.0.0.1:9999',
    });
  });

  it('requires MAIL_FROM once a key is set, and names it next to any other bad variable', () => {
    const result = emailEnv.safeParse({ RESEND_API_KEY: 're_123', RESEND_BASE_URL: 'not a url' });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['RESEND_BASE_URL', 'Invalid URL'],
      ['MAIL_FROM', expect.stringMatching(/MAIL_FROM is required when RESEND_API_KEY is set/)],
    ]);
  });
});
