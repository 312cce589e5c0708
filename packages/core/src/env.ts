import { z } from 'zod';

/**
 * Where things are reached (docs/ARCHITECTURE.md, "Hostnames"), as a zod fragment both apps compose into
 * their env.ts: the web app for cookies, redirects and agent links, the worker for the URLs it writes to
 * the identity provider and into mails. Unset DOMAIN: one origin, PORTAL_URL, with agents under /agent.
 */
export const hostnamesEnv = z.object({
  /** Subdomain mode: login.DOMAIN for sign-in, {username}.DOMAIN per person. A bare host name. */
  DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9.-]+$/, 'DOMAIN is a bare host name such as example.com')
    .optional(),
  /** Where the portal answers when DOMAIN is unset (agent URLs, mail links). */
  PORTAL_URL: z.url().default('http://localhost:3000'),
});

export type HostnamesEnv = z.infer<typeof hostnamesEnv>;
