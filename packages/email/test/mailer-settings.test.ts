import { describe, expect, it } from 'vitest';
import { mailerSettingsFromEnv } from '../src';

describe('mailerSettingsFromEnv', () => {
  it('is local when RESEND_API_KEY is missing or blank', () => {
    expect(mailerSettingsFromEnv({})).toEqual({
      resendApiKey: null,
      from: 'Pocket Smyth <noreply@localhost>',
      resendBaseUrl: null,
    });
    expect(mailerSettingsFromEnv({ RESEND_API_KEY: '  ' }).resendApiKey).toBeNull();
  });

  it('reads the key, sender and base URL', () => {
    expect(
      mailerSettingsFromEnv({
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

  it('requires MAIL_FROM once a key is set', () => {
    expect(() => mailerSettingsFromEnv({ RESEND_API_KEY: 're_123' })).toThrow(/MAIL_FROM/);
  });
});
