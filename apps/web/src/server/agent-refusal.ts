import type { AgentAccessResult } from './agent-access';

/**
 * What the app's `/agent` proxy answers when it will not pass a request on (local mode; forward-auth
 * answers the reverse proxy in subdomain mode): the reason in words, for the one who asked. A browser
 * opening the page gets a small page of its own with the way on (sign in, or back to the portal,
 * which says why); anything else (the agent's own scripts) gets the same words as plain text.
 */
export interface AgentRefusal {
  status: number;
  title: string;
  message: string;
  /** Where the person can go from here. */
  next: { href: string; label: string };
}

export function agentRefusalFor(
  access: Pick<AgentAccessResult, 'status' | 'reason' | 'facts'>,
): AgentRefusal {
  const viewerStatus = access.facts.viewer?.status;
  const portal = { href: '/', label: 'Go to your portal' };
  switch (access.reason) {
    case 'signed_out':
      return {
        status: 401,
        title: 'Sign in to use this agent',
        message: 'This agent is private. Sign in, then open it from your dashboard.',
        next: { href: '/signin', label: 'Sign in' },
      };
    case 'viewer_inactive':
      return {
        status: 403,
        title: 'Your agent is not available',
        message:
          viewerStatus === 'revoked'
            ? 'Your access was revoked, so your agent is stopped. Your portal says why and how to reach an admin.'
            : viewerStatus === 'rejected'
              ? 'Your request for an agent was not approved. Your portal says why.'
              : 'Your agent starts once an admin approves your request. Your portal shows where it stands.',
        next: portal,
      };
    case 'owner_inactive':
      return {
        status: 403,
        title: 'This agent is not available',
        message: 'Its owner’s account is not active, so the agent is stopped.',
        next: portal,
      };
    case 'not_owner':
      return {
        status: 403,
        title: 'This agent belongs to someone else',
        message: 'Each agent is open to its owner only (and its public pages, when the owner shares them).',
        next: portal,
      };
    default:
      return {
        status: access.status === 200 ? 404 : access.status,
        title: 'There is no such agent',
        message: 'Nobody by that name has an agent here.',
        next: portal,
      };
  }
}

/** Whether the client asked for a page (a browser navigating) rather than data. */
function wantsPage(request: Request): boolean {
  return (request.headers.get('accept') ?? '').includes('text/html');
}

export function agentRefusalResponse(refusal: AgentRefusal, request: Request): Response {
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (refusal.status === 401) headers['www-authenticate'] = 'Cookie realm="Pocket Smyth"';
  if (!wantsPage(request)) {
    return new Response(`${refusal.title}. ${refusal.message}`, {
      status: refusal.status,
      headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${escapeHtml(refusal.title)} · Pocket Smyth</title></head><body style="font-family:system-ui,sans-serif;margin:0;min-height:100vh;display:grid;place-items:center;padding:1rem;box-sizing:border-box"><main style="max-width:28rem;width:100%;border:1px solid rgba(127,127,127,.35);border-radius:.75rem;padding:1.5rem"><p style="margin:0 0 .5rem;font-size:.8rem;opacity:.75">Pocket Smyth · ${refusal.status}</p><h1 style="margin:0 0 .75rem;font-size:1.25rem">${escapeHtml(refusal.title)}</h1><p style="margin:0 0 1.25rem;line-height:1.5">${escapeHtml(refusal.message)}</p><a href="${escapeHtml(refusal.next.href)}" style="display:inline-block;padding:.5rem .9rem;border-radius:.5rem;background:#4338ca;color:#fff;text-decoration:none">${escapeHtml(refusal.next.label)}</a></main></body></html>`;
  return new Response(html, {
    status: refusal.status,
    headers: { ...headers, 'content-type': 'text/html; charset=utf-8' },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
