import { classifyHost, VIEWERS_OWN } from '~/server/agent-access';
import { proxyAgentRequest } from '~/server/agent-proxy';

/**
 * `/agent/*`: the agent of the host's person in subdomain mode (`{username}.DOMAIN/agent/*`, when it
 * reaches the app rather than Traefik's route to a container), else the signed-in person's own.
 * Others' agents, public pages included, are at `/u/{username}/agent/*` in local mode.
 */
export const dynamic = 'force-dynamic';

function handle(request: Request): Promise<Response> {
  const host = classifyHost(request.headers.get('host'));
  const owner = host.kind === 'person' ? host.username : VIEWERS_OWN;
  return proxyAgentRequest(request, { owner, mount: '' });
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
