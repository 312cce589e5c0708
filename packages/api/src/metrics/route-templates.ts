import { restOperations } from '../rest/openapi-document';

/**
 * The REST route template a path matches (`/api/users/0b9…/approve` → `/users/{id}/approve`), so the
 * metrics have one series per route, not per id. Unknown paths are `other`: a label must never carry
 * what a client typed.
 */
export function restRouteTemplates(endpoint = '/api'): (pathname: string) => string {
  const templates = [...new Set(restOperations().map((op) => op.path))].map((template) => ({
    template,
    // A parameter is one path segment; literal segments match exactly (longest literal wins below).
    pattern: new RegExp(
      `^${template
        .split('/')
        .map((segment) =>
          /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('/')}/?$`,
    ),
    literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
  }));
  templates.sort((a, b) => b.literals - a.literals);
  return (pathname) => {
    if (!pathname.startsWith(`${endpoint}/`)) return 'other';
    const rest = pathname.slice(endpoint.length);
    return templates.find((t) => t.pattern.test(rest))?.template ?? 'other';
  };
}
