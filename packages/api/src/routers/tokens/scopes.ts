import { allScopes, isAdminScope, scopeDescriptions } from '@pocket-smyth/core';
import { z } from 'zod';
import { activeProcedure } from '../../trpc';

/** The scopes the caller may grant, with what each allows. */
export const listScopesProcedure = activeProcedure
  .meta({
    scope: 'tokens:read',
    openapi: { method: 'GET', path: '/tokens/scopes', tags: ['tokens'], summary: 'Scopes you can grant' },
  })
  .input(z.void())
  .output(z.array(z.object({ scope: z.string(), description: z.string() })))
  .query(({ ctx }) =>
    allScopes
      .filter((s) => ctx.principal.person.role === 'admin' || !isAdminScope(s))
      .map((scope) => ({ scope, description: scopeDescriptions[scope] })),
  );
