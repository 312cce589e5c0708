/**
 * Hostile input on every REST route, generated from the OpenAPI document (so a new route is covered the
 * day it is added): malformed percent-encoding in each path parameter and each string query parameter,
 * a lone UTF-16 surrogate in each string body field and in a body key, and a body that is not UTF-8.
 * Each is a 400 in the REST error shape that changes nothing, never a 500. The caller is an admin
 * whose token holds every scope, so nothing but the input can be what is refused.
 *
 * A lone surrogate cannot travel in a URL (percent-encoding is UTF-8; `%ED%A0%80`, its WTF-8 spelling,
 * is malformed UTF-8 and covered as such), so query and path parameters get the encodings, bodies the
 * JSON escape `"\ud800"`. /api/trpc gets the same refusals at the end.
 */
import type { Person } from '@pocket-smyth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/rest/openapi-document';
import { createTrpcHandler } from '../../src/trpc-handler';
import { auditCount, createWorld, makePerson, type World } from '../helpers';
import { BASE, call, restFor, scopesOf, tokenFor } from './rest-helpers';

interface Schema {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}

interface Operation {
  parameters?: { name: string; in: 'path' | 'query'; schema?: Schema }[];
  requestBody?: { content?: { 'application/json'?: { schema?: Schema } } };
}

const BAD_ENCODINGS = ['%FF', '%ED%A0%80', '%C0%AF', '%E2%82', '%', '%G1'];
const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SENTINEL = 'LONE-SURROGATE-GOES-HERE';

/** A body of the schema's required fields, each with a plain value (validity does not matter here). */
function exampleOf(schema: Schema | undefined): unknown {
  if (!schema) return 'x';
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((k) => [k, exampleOf(schema.properties?.[k])]));
    case 'array':
      return [exampleOf(schema.items)];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return 'x';
  }
}

/** Every string field of a body schema, as a key path (array items as index 0). */
function stringFields(schema: Schema | undefined, path: string[] = []): string[][] {
  if (!schema) return [];
  if (schema.type === 'string') return [path];
  if (schema.type === 'array') return stringFields(schema.items, [...path, '0']);
  if (schema.type === 'object')
    return Object.entries(schema.properties ?? {}).flatMap(([k, s]) => stringFields(s, [...path, k]));
  return [];
}

/** `base` with the value at `path` replaced by the sentinel (objects and arrays made on the way). */
function withSentinel(base: unknown, path: string[]): unknown {
  if (path.length === 0) return SENTINEL;
  const [head, ...rest] = path as [string, ...string[]];
  if (/^\d+$/.test(head)) {
    const arr = Array.isArray(base) ? [...base] : [];
    arr[Number(head)] = withSentinel(arr[Number(head)], rest);
    return arr;
  }
  const obj = base && typeof base === 'object' && !Array.isArray(base) ? { ...base } : {};
  (obj as Record<string, unknown>)[head] = withSentinel((obj as Record<string, unknown>)[head], rest);
  return obj;
}

const loneSurrogateJson = (value: unknown) => JSON.stringify(value).replace(`"${SENTINEL}"`, '"\\ud800"');

const doc = buildOpenApiDocument(BASE);
const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    op,
  })),
);

let world: World;
let admin: Person;
let token: string;
beforeAll(async () => {
  world = await createWorld();
  admin = await makePerson(world.db, 'admin');
  token = await tokenFor(world.db, admin, scopesOf('admin'));
});
afterAll(() => world.cleanup());

/** Calls the route and expects a 400 in the error shape that wrote nothing. */
async function expectRefused(
  method: string,
  path: string,
  opts: { rawBody?: RequestInit['body']; rawQuery?: string },
  message: RegExp,
) {
  const before = await auditCount(world.db);
  const res = await call(restFor(world.db), method, `${path}${opts.rawQuery ?? ''}`, {
    token,
    ...(opts.rawBody === undefined ? {} : { rawBody: opts.rawBody }),
  });
  const what = `${method} ${path}${opts.rawQuery ?? ''} → ${res.status} ${JSON.stringify(res.json)}`;
  expect(res.status, what).toBe(400);
  expect(res.json.error, what).toMatchObject({
    code: 'BAD_REQUEST',
    message: expect.stringMatching(message),
    requestId: res.headers.get('x-request-id'),
  });
  expect(await auditCount(world.db), what).toBe(before);
}

const filled = (path: string, params: Record<string, string>) =>
  path.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? 'some-id');

it('covers a good number of routes (the document was read)', () => {
  expect(operations.length).toBeGreaterThan(30);
});

for (const { method, path, op } of operations) {
  const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
  const queryStrings = (op.parameters ?? []).filter((p) => p.in === 'query' && p.schema?.type === 'string');
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;

  describe(`${method} ${path}`, () => {
    it('malformed percent-encoding in a query parameter the route does not take', async () => {
      await expectRefused(
        method,
        filled(path, {}),
        { rawQuery: '?unknown=%FF', ...(bodyMethods.has(method) ? { rawBody: '{}' } : {}) },
        /percent-encoded UTF-8/,
      );
    });

    for (const param of pathParams) {
      it(`malformed percent-encoding in path parameter ${param.name}`, async () => {
        for (const bad of BAD_ENCODINGS) {
          await expectRefused(
            method,
            filled(path, { [param.name]: `a${bad}b` }),
            bodyMethods.has(method) ? { rawBody: '{}' } : {},
            /percent-encoded UTF-8/,
          );
        }
      });
    }

    for (const param of queryStrings) {
      it(`malformed percent-encoding in query parameter ${param.name}`, async () => {
        for (const bad of BAD_ENCODINGS) {
          await expectRefused(
            method,
            filled(path, {}),
            { rawQuery: `?${param.name}=x${bad}`, ...(bodyMethods.has(method) ? { rawBody: '{}' } : {}) },
            /percent-encoded UTF-8/,
          );
        }
      });
    }

    if (bodyMethods.has(method)) {
      for (const field of stringFields(bodySchema)) {
        it(`a lone surrogate in body field ${field.join('.')}`, async () => {
          const body = loneSurrogateJson(withSentinel(exampleOf(bodySchema), field));
          await expectRefused(method, filled(path, {}), { rawBody: body }, /surrogate/);
        });
      }

      // Only where the route reads a body: trpc-to-openapi reads none for DELETE or a void input.
      if (bodySchema) {
        it('a lone surrogate in a body key', async () => {
          await expectRefused(method, filled(path, {}), { rawBody: '{"\\udc00":"x"}' }, /surrogate/);
        });
      }

      it('a body that is not UTF-8', async () => {
        const bytes = new Uint8Array([...new TextEncoder().encode('{"x":"'), 0xff, 0xc0, 0xaf, 0x22, 0x7d]);
        await expectRefused(method, filled(path, {}), { rawBody: bytes }, /UTF-8/);
      });
    }
  });
}

describe('a lone surrogate is never stored, on any path a display name takes', () => {
  it('PATCH /me/preferences and POST /me/onboarding refuse "\\ud800" and "a\\udfffb"', async () => {
    for (const value of ['\\ud800', 'a\\udfffb', '\\udbff\\udbff']) {
      await expectRefused('PATCH', '/me/preferences', { rawBody: `{"displayName":"${value}"}` }, /surrogate/);
      await expectRefused(
        'POST',
        '/me/onboarding',
        { rawBody: `{"username":"someone","preferences":{"displayName":"${value}"}}` },
        /surrogate/,
      );
    }
  });

  it('a surrogate pair (an emoji) is still fine', async () => {
    const res = await call(restFor(world.db), 'PATCH', '/me/preferences', {
      token,
      rawBody: '{"displayName":"Ada \\ud83d\\ude80"}',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ preferences: { displayName: 'Ada 🚀' } });
  });
});

describe('/api/trpc refuses the same input the same way', () => {
  const trpc = () =>
    createTrpcHandler({
      db: world.db,
      resolveSession: async () => admin,
      portalOrigins: () => ['http://localhost'],
    });
  const headers = { 'content-type': 'application/json', origin: 'http://localhost' };

  async function trpcCall(url: string, init: RequestInit = {}) {
    const res = await trpc()(new Request(`http://localhost/api/trpc/${url}`, init));
    return {
      status: res.status,
      json: (await res.json()) as { error?: { message: string; data: { code: string } } },
    };
  }

  it('a body that is not UTF-8 is BAD_REQUEST, as on REST (tRPC alone decodes it leniently)', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"displayName":"'),
      0xff,
      0xfe,
      ...new TextEncoder().encode('"}'),
    ]);
    const res = await trpcCall('user.updatePreferences', { method: 'POST', headers, body: bytes });
    expect(res.status).toBe(400);
    expect(res.json.error?.data.code).toBe('BAD_REQUEST');
    expect(res.json.error?.message).toMatch(/UTF-8/);
  });

  it('a lone surrogate in a display name is BAD_REQUEST and is not stored', async () => {
    for (const [procedure, body] of [
      ['user.updatePreferences', '{"displayName":"\\ud800"}'],
      ['user.completeOnboarding', '{"username":"x","preferences":{"displayName":"\\udc00"}}'],
    ] as const) {
      const res = await trpcCall(procedure, { method: 'POST', headers, body });
      expect(res.status, procedure).toBe(400);
      expect(res.json.error?.message, procedure).toMatch(/surrogate/);
    }
  });

  it('a query whose input holds a lone surrogate is BAD_REQUEST', async () => {
    const input = encodeURIComponent('{"username":"\\ud800"}');
    const res = await trpcCall(`user.checkUsername?input=${input}`);
    expect(res.status).toBe(400);
    expect(res.json.error?.message).toMatch(/surrogate/);
  });

  it('malformed percent-encoding in the path or the query is BAD_REQUEST', async () => {
    for (const url of ['%FF', 'user.me%ED%A0%80', `user.checkUsername?input=%7B%22username%22%3A%FF`]) {
      const res = await trpcCall(url);
      expect(res.status, url).toBe(400);
      expect(res.json.error?.data.code, url).toBe('BAD_REQUEST');
    }
  });
});
