import { scopeDescriptions } from '@pocket-smyth/core';
import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { appRouter } from '../root';
import { csvRoutes } from './csv-routes';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string', examples: ['NOT_FOUND'] },
        message: { type: 'string', examples: ['Person not found'] },
        requestId: { type: 'string', examples: ['5c1f2b9e-8f0e-4c61-9d43-2b8f7c1a0e11'] },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: { path: { type: 'string' }, message: { type: 'string' } },
          },
        },
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
} as const;

const errorResponses: Record<string, string> = {
  '400': 'Invalid input: the message and `issues` say which field and why',
  '401': 'No credentials, or a malformed, unknown, expired or revoked token',
  '403': 'Signed in, but not allowed: wrong role, or the token lacks the scope',
  '404': 'Not found, or not yours',
  '409': 'Conflict with the current state (e.g. username taken, person not pending)',
  '429': 'Rate-limited: wait `Retry-After` seconds',
  '500': 'Something went wrong on our side; quote the requestId',
};

const rateLimitHeaders = {
  'RateLimit-Limit': { description: 'Requests allowed in the window', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in the window', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
  'X-Request-Id': {
    description: 'The id to quote when asking about this request',
    schema: { type: 'string' },
  },
};

type Operation = {
  security?: unknown;
  responses?: Record<string, { description: string; content?: unknown; headers?: unknown }>;
  description?: string;
  summary?: string;
  'x-required-scope'?: string;
};

/**
 * The OpenAPI 3.1 document, generated from the procedures, then given our error shape on every
 * operation, the bearer scheme and each operation's required scope.
 */
export function buildOpenApiDocument(baseUrl: string): OpenAPIObject {
  const doc = generateOpenApiDocument(appRouter, {
    title: 'Pocket Smyth API',
    version: '1.0.0',
    description:
      'Everything the Pocket Smyth dashboard can do, over plain HTTP. Authenticate with a personal API token: ' +
      '`Authorization: Bearer pst_…`. Each operation names the scope it needs. Errors always have the shape ' +
      '`{ "error": { "code", "message", "requestId" } }`.',
    baseUrl,
    securitySchemes: {
      Authorization: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'pst_…',
        description: `Personal API token. Scopes: ${Object.entries(scopeDescriptions)
          .map(([s, d]) => `\`${s}\` (${d})`)
          .join(', ')}.`,
      },
    },
  });

  const schemas = (doc.components?.schemas ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(schemas)) if (name.startsWith('error.')) delete schemas[name];
  schemas.Error = errorSchema;
  doc.components = { ...doc.components, schemas: schemas as never };

  // The streamed CSV routes are not trpc-to-openapi's (they answer text/csv): described here.
  for (const route of csvRoutes()) {
    doc.paths = {
      ...doc.paths,
      [route.path]: {
        [route.method.toLowerCase()]: {
          operationId: route.procedure,
          summary: route.summary,
          ...(route.description ? { description: route.description } : {}),
          tags: [route.path.split('/')[1] ?? 'export'],
          security: [{ Authorization: [] }],
          parameters: csvQueryParameters(route.procedure),
          responses: {
            200: {
              description: 'The CSV file, streamed',
              content: { 'text/csv': { schema: { type: 'string' } } },
            },
          },
        },
      },
    } as never;
  }

  const scopeByPath = scopesByOperation();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const scope = scopeByPath.get(`${method.toUpperCase()} ${path}`);
      op['x-required-scope'] = scope;
      if (scope)
        op.description = `${op.description ? `${op.description}\n\n` : ''}Token scope: \`${scope}\`.`;
      const responses = op.responses ?? {};
      for (const [status, description] of Object.entries(errorResponses)) {
        responses[status] = {
          description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
      const ok = Object.keys(responses).find((s) => s.startsWith('2'));
      if (ok && responses[ok]) responses[ok].headers = rateLimitHeaders;
      op.responses = responses;
    }
  }
  return doc;
}

/**
 * Every REST operation the router declares in its procedures' meta: method, path template, scope; the
 * streamed CSV routes (`meta.csv`) included.
 */
export function restOperations(): { method: string; path: string; scope: string | undefined }[] {
  return (Object.values(appRouter._def.procedures) as unknown[]).flatMap((procedure) => {
    const meta = (
      procedure as {
        _def: {
          meta?: {
            scope?: string;
            openapi?: { method: string; path: string };
            csv?: { method: string; path: string };
          };
        };
      }
    )._def.meta;
    const route = meta?.openapi ?? meta?.csv;
    return route ? [{ method: route.method, path: route.path, scope: meta?.scope }] : [];
  });
}

/** A CSV route's query parameters, from its procedure's input schema. */
function csvQueryParameters(path: string) {
  const procedure = (appRouter._def.procedures as unknown as Record<string, { _def: { inputs: unknown[] } }>)[
    path
  ];
  const input = procedure?._def.inputs[0];
  if (!(input instanceof z.ZodType)) return [];
  // A date arrives in a query string as an ISO 8601 string (the filters coerce it).
  const schema = z.toJSONSchema(input, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === 'date')
        Object.assign(jsonSchema, { type: 'string', format: 'date-time' });
    },
  }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

function scopesByOperation(): Map<string, string> {
  const map = new Map<string, string>();
  for (const op of restOperations()) if (op.scope) map.set(`${op.method} ${op.path}`, op.scope);
  return map;
}
