/**
 * What an API token may do. Every REST procedure names exactly one scope in its meta; a session
 * (browser) is not limited by scopes, only by role.
 */
export const scopeDescriptions = {
  'me:read': 'Read your profile and check usernames',
  'me:write': 'Change your preferences and finish onboarding',
  'agent:read': 'Read your agent and its provisioning runs',
  'agent:write': 'Start, stop and restart your agent and toggle its public URL',
  'tokens:read': 'List your API tokens',
  'tokens:write': 'Create and revoke your API tokens',
  'admin:users:read': 'Admin: list people and read their details',
  'admin:users:write': 'Admin: approve, reject, revoke, restore and delete people; revoke tokens',
  'admin:plans:read': 'Admin: read plans and who is on them',
  'admin:plans:write': 'Admin: create, edit and archive plans, and put people on them',
  'admin:system:read': 'Admin: read system status, hosts, runs and the activity log',
  'admin:system:write': 'Admin: manage hosts, start, stop and restart agents, retry runs',
} as const;

export type Scope = keyof typeof scopeDescriptions;
export const allScopes = Object.keys(scopeDescriptions) as Scope[];
export const adminScopes = allScopes.filter((s) => s.startsWith('admin:'));

export function isAdminScope(scope: Scope): boolean {
  return scope.startsWith('admin:');
}
