/**
 * docker-compose.yml as an operator runs it (README, "Deploy"): every service comes back after a crash
 * or a reboot and says whether it is healthy, no image floats on `latest`, the web port is not open to
 * the world around the proxy, and local mode's Launch reaches the agent containers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../src/workspace';

interface Service {
  image?: string;
  build?: unknown;
  restart?: string;
  healthcheck?: { test?: unknown };
  ports?: string[];
  environment?: Record<string, string>;
  networks?: string[];
}

const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const services = Object.entries(compose.services);

describe('docker-compose.yml', () => {
  it('has the services an operator expects', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'caddy',
      'libsql',
      'postgres',
      'traefik',
      'web',
      'worker',
    ]);
  });

  it('restarts every service unless stopped, and gives each a healthcheck', () => {
    const missing = services.flatMap(([name, s]) => [
      ...(s.restart === 'unless-stopped' ? [] : [`${name}: restart`]),
      ...(s.healthcheck?.test ? [] : [`${name}: healthcheck`]),
    ]);
    expect(missing).toEqual([]);
  });

  it('pins every image to a version (no latest, no bare name)', () => {
    const floating = services
      .filter(([, s]) => s.image !== undefined)
      .filter(([, s]) => {
        const tag = /:([^/:@]+)$/.exec(s.image ?? '')?.[1];
        return !tag || tag === 'latest' || !/\d/.test(tag);
      })
      .map(([name, s]) => `${name}: ${s.image}`);
    expect(floating).toEqual([]);
    // Built services are the two apps.
    expect(
      services
        .filter(([, s]) => s.build)
        .map(([name]) => name)
        .sort(),
    ).toEqual(['web', 'worker']);
  });

  it('publishes web on loopback by default, so nothing reaches it around a proxy', () => {
    const ports = compose.services.web?.ports ?? [];
    expect(ports).toHaveLength(1);
    expect(ports[0]).toMatch(/^\$\{WEB_BIND:-127\.0\.0\.1\}:/);
    // The proxies are the only services published on every interface.
    const open = services
      .filter(([, s]) => (s.ports ?? []).some((p) => /^\d+:\d+$/.test(p)))
      .map(([name]) => name)
      .sort();
    expect(open).toEqual(['caddy', 'traefik']);
  });

  it('lets local mode reach the agent containers: web on their network, with their upstream rule', () => {
    const web = compose.services.web!;
    expect(web.networks).toContain('pocket-smyth');
    expect(web.environment?.AGENT_UPSTREAM_TEMPLATE).toContain('http://ps-agent-{username}:80');
    expect(web.environment?.AGENT_UPSTREAM_STRIP_PREFIX).toContain('1');
  });

  it('passes the DNS challenge credentials to Traefik alone', () => {
    expect(compose.services.traefik?.environment).toHaveProperty('CF_DNS_API_TOKEN');
    for (const [name, s] of services) {
      if (name !== 'traefik') expect(s.environment ?? {}, name).not.toHaveProperty('CF_DNS_API_TOKEN');
    }
  });
});
