import SwaggerParser from '@apidevtools/swagger-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/rest/openapi-document';
import { BASE } from './rest-helpers';

const doc = buildOpenApiDocument(BASE);

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 for an independent validator', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    // validate() dereferences in place; give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('covers the REST table of docs/ARCHITECTURE.md', () => {
    const ops = Object.entries(doc.paths ?? {}).flatMap(([p, item]) =>
      Object.keys(item as object).map((m) => `${m.toUpperCase()} ${p}`),
    );
    for (const required of [
      'GET /me',
      'GET /me/agent',
      'GET /users',
      'POST /users/{id}/approve',
      'POST /users/{id}/reject',
      'POST /users/{id}/revoke',
      'GET /system/status',
    ]) {
      expect(ops).toContain(required);
    }
  });

  it('documents the bearer scheme and every error status with the one error shape', () => {
    expect(doc.components?.securitySchemes?.Authorization).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const item of Object.values(doc.paths ?? {})) {
      for (const op of Object.values(item as Record<string, { responses: Record<string, unknown> }>)) {
        for (const status of ['400', '401', '403', '404', '409', '429', '500']) {
          expect(op.responses[status]).toMatchObject({
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          });
        }
      }
    }
    expect(JSON.stringify(doc.components?.schemas?.Error)).toContain('requestId');
  });

  it('generates a typed client (openapi-typescript)', async () => {
    const source = astToString(await openapiTS(structuredClone(doc) as never));
    expect(source).toContain('"/users/{id}/approve"');
    expect(source).toContain('"/me"');
    expect(source).toMatch(/requestId: string/);
  });
});
