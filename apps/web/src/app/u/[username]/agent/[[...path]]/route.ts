import { proxyAgentRequest } from '~/server/agent-proxy';

/**
 * `/u/{username}/agent/*`: a named person's agent on the single local origin, with the same rule
 * as forward-auth (the owner; anyone on `/u/{username}/agent/public/*` while their public URL is on).
 * The agent receives the path from `/agent` on, as it would behind Traefik.
 */
export const dynamic = 'force-dynamic';

async function handle(
  request: Request,
  context: { params: Promise<{ username: string }> },
): Promise<Response> {
  const { username } = await context.params;
  const mount = `/u/${encodeURIComponent(username)}`;
  if (!new URL(request.url).pathname.startsWith(`${mount}/agent`)) {
    return new Response('Not found', { status: 404 });
  }
  return proxyAgentRequest(request, { owner: username, mount });
}

export {
  handle as DELETE,
  handle as GET,
  handle as HEAD,
  handle as OPTIONS,
  handle as PATCH,
  handle as POST,
  handle as PUT,
};
