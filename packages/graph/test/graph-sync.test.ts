import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGraphSync, type GraphConfig, type GraphSync, IdpError } from '../src';
import {
  defaultTokenReply,
  type FakeGraphServer,
  type ReceivedRequest,
  startFakeGraphServer,
} from './fake-graph-server';

const extensionAppId = 'b2c0a1b2-c3d4-e5f6-0718-293a4b5c6d7e';
const attr = (name: string) => `extension_b2c0a1b2c3d4e5f60718293a4b5c6d7e_${name}`;
const objectId = '6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e';

let fake: FakeGraphServer;

beforeAll(async () => {
  fake = await startFakeGraphServer();
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

function graphSync(overrides: Partial<GraphConfig> = {}): GraphSync {
  const sync = createGraphSync({
    tenantId: 'contoso.onmicrosoft.com',
    clientId: '11111111-2222-3333-4444-555555555555',
    clientSecret: 'client~secret.value',
    extensionAppId,
    graphBaseUrl: fake.url,
    authorityUrl: fake.url,
    ...overrides,
  });
  if (!sync) throw new Error('expected a configured GraphSync');
  return sync;
}

const requestsTo = (route: ReceivedRequest['route']) => fake.received.filter((r) => r.route === route);

function graphError(code: string, message: string) {
  return { error: { code, message, innerError: { date: '2026-01-01T00:00:00', 'request-id': 'req-1' } } };
}

async function rejection(promise: Promise<unknown>): Promise<IdpError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IdpError);
  return error as IdpError;
}

describe('writePersonAttributes', () => {
  it('gets a client-credentials token and PATCHes the extension attributes with it', async () => {
    fake.replyToGraph({ status: 204 });

    const result = await graphSync().writePersonAttributes(
      { objectId, email: 'ada@example.com' },
      { username: 'ada', status: 'active', agentUrl: 'https://ada.pocket.example/agent' },
    );

    expect(result).toEqual({ objectId });
    expect(fake.received.map((r) => r.route)).toEqual(['token', 'graph']);
    const [token, patch] = fake.received;
    expect(token?.method).toBe('POST');
    expect(token?.url).toBe('/contoso.onmicrosoft.com/oauth2/v2.0/token');
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: '11111111-2222-3333-4444-555555555555',
      client_secret: 'client~secret.value',
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(patch?.method).toBe('PATCH');
    expect(patch?.url).toBe(`/v1.0/users/${objectId}`);
    expect(patch?.headers.authorization).toBe('Bearer graph-token-1');
    expect(patch?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(patch?.body ?? '')).toEqual({
      [attr('username')]: 'ada',
      [attr('status')]: 'active',
      [attr('agentUrl')]: 'https://ada.pocket.example/agent',
    });
  });

  it('reuses the token until it nears expiry, then fetches a new one', async () => {
    const sync = graphSync();
    fake.replyToToken(defaultTokenReply('token-long-lived', 3599));
    fake.replyToGraph({ status: 204 }, { status: 204 });
    await sync.writePersonAttributes({ objectId, email: 'ada@example.com' }, { status: 'active' });
    await sync.writePersonAttributes({ objectId, email: 'ada@example.com' }, { status: 'revoked' });
    expect(requestsTo('token')).toHaveLength(1);
    expect(requestsTo('graph').map((r) => r.headers.authorization)).toEqual([
      'Bearer token-long-lived',
      'Bearer token-long-lived',
    ]);

    // A token already at its end is used for the request it was fetched for and replaced on the next.
    const shortLived = graphSync();
    fake.reset();
    fake.replyToToken(defaultTokenReply('token-short-1', 0), defaultTokenReply('token-short-2', 0));
    fake.replyToGraph({ status: 204 }, { status: 204 });
    await shortLived.writePersonAttributes({ objectId, email: 'ada@example.com' }, { status: 'active' });
    await shortLived.writePersonAttributes({ objectId, email: 'ada@example.com' }, { status: 'active' });
    expect(requestsTo('token')).toHaveLength(2);
    expect(requestsTo('graph').map((r) => r.headers.authorization)).toEqual([
      'Bearer token-short-1',
      'Bearer token-short-2',
    ]);
  });

  it('writes only the attributes given, and null clears one', async () => {
    fake.replyToGraph({ status: 204 });
    await graphSync().writePersonAttributes(
      { objectId, email: 'ada@example.com' },
      { status: 'deleted', agentUrl: null },
    );
    expect(JSON.parse(requestsTo('graph')[0]?.body ?? '')).toEqual({
      [attr('status')]: 'deleted',
      [attr('agentUrl')]: null,
    });
  });

  it('finds a B2C local account by its sign-in identity when the object id is unknown', async () => {
    const email = "o'brien+agents@example.com";
    fake.replyToGraph({ status: 200, json: { value: [{ id: objectId }] } }, { status: 204 });

    const result = await graphSync().writePersonAttributes({ email }, { username: 'obrien' });

    expect(result).toEqual({ objectId });
    const [lookup, patch] = requestsTo('graph');
    expect(lookup?.method).toBe('GET');
    expect(lookup?.headers.authorization).toBe('Bearer graph-token-1');
    const url = new URL(lookup?.url ?? '', fake.url);
    expect(url.pathname).toBe('/v1.0/users');
    // `+` reaches Graph as `%2B`: unencoded it would be read as a space.
    expect(lookup?.url).toContain('o%27%27brien%2Bagents%40example.com');
    expect(url.searchParams.get('$filter')).toBe(
      "identities/any(id:id/issuerAssignedId eq 'o''brien+agents@example.com' and id/issuer eq 'contoso.onmicrosoft.com')",
    );
    expect(url.searchParams.get('$select')).toBe('id');
    expect(patch?.url).toBe(`/v1.0/users/${objectId}`);
  });

  it('falls back to mail and otherMails (federated accounts) with an advanced query', async () => {
    fake.replyToGraph(
      { status: 200, json: { value: [] } },
      { status: 200, json: { '@odata.count': 1, value: [{ id: objectId }] } },
      { status: 204 },
    );

    await graphSync().writePersonAttributes({ email: 'ada@example.com' }, { status: 'active' });

    const [, mailLookup, patch] = requestsTo('graph');
    const url = new URL(mailLookup?.url ?? '', fake.url);
    expect(url.searchParams.get('$filter')).toBe(
      "mail eq 'ada@example.com' or otherMails/any(m:m eq 'ada@example.com')",
    );
    expect(url.searchParams.get('$count')).toBe('true');
    expect(mailLookup?.headers.consistencylevel).toBe('eventual');
    expect(patch?.method).toBe('PATCH');
  });

  it('uses GRAPH_B2C_ISSUER for the identity lookup, and skips it when no issuer is known', async () => {
    fake.replyToGraph({ status: 200, json: { value: [{ id: objectId }] } }, { status: 204 });
    await graphSync({ b2cIssuer: 'contosob2c.onmicrosoft.com' }).writePersonAttributes(
      { email: 'ada@example.com' },
      { status: 'active' },
    );
    expect(new URL(requestsTo('graph')[0]?.url ?? '', fake.url).searchParams.get('$filter')).toContain(
      "id/issuer eq 'contosob2c.onmicrosoft.com'",
    );

    fake.reset();
    fake.replyToGraph({ status: 200, json: { value: [{ id: objectId }] } }, { status: 204 });
    await graphSync({ tenantId: '0a1b2c3d-0000-4000-8000-000000000000' }).writePersonAttributes(
      { email: 'ada@example.com' },
      { status: 'active' },
    );
    expect(new URL(requestsTo('graph')[0]?.url ?? '', fake.url).searchParams.get('$filter')).toMatch(
      /^mail eq /,
    );
  });

  it('fails with idp_rejected when no directory user has the address, without writing', async () => {
    fake.replyToGraph({ status: 200, json: { value: [] } }, { status: 200, json: { value: [] } });
    const error = await rejection(
      graphSync().writePersonAttributes({ email: 'ghost@example.com' }, { status: 'active' }),
    );
    expect(error).toMatchObject({
      errorClass: 'idp_rejected',
      transient: false,
      status: 404,
      code: 'user_not_found',
    });
    expect(requestsTo('graph').map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('fails with idp_rejected when two users match', async () => {
    fake.replyToGraph({ status: 200, json: { value: [{ id: 'a' }, { id: 'b' }] } });
    const error = await rejection(graphSync().findUserId('twin@example.com'));
    expect(error).toMatchObject({ errorClass: 'idp_rejected', code: 'user_ambiguous' });
  });
});

describe('errors', () => {
  it('Graph 500 is a transient idp_unavailable', async () => {
    fake.replyToGraph({ status: 500, json: graphError('generalException', 'Something went wrong.') });
    const error = await rejection(
      graphSync().writePersonAttributes({ objectId, email: 'a@x.io' }, { status: 'active' }),
    );
    expect(error).toMatchObject({
      errorClass: 'idp_unavailable',
      transient: true,
      status: 500,
      code: 'generalException',
    });
    expect(error.message).toContain('Something went wrong.');
    // One attempt only: retrying is the job system's business.
    expect(requestsTo('graph')).toHaveLength(1);
  });

  it('Graph 429 is transient and carries Retry-After as a hint', async () => {
    fake.replyToGraph({
      status: 429,
      json: graphError('TooManyRequests', 'Too many requests.'),
      headers: { 'retry-after': '7' },
    });
    const error = await rejection(
      graphSync().writePersonAttributes({ objectId, email: 'a@x.io' }, { status: 'active' }),
    );
    expect(error).toMatchObject({
      errorClass: 'idp_unavailable',
      transient: true,
      status: 429,
      retryAfterMs: 7000,
    });
    expect(requestsTo('graph')).toHaveLength(1);
  });

  it('Graph 400 is a permanent idp_rejected with Graph’s code and message', async () => {
    fake.replyToGraph({
      status: 400,
      json: graphError('Request_BadRequest', `Property '${attr('username')}' does not exist on type 'User'.`),
    });
    const error = await rejection(
      graphSync().writePersonAttributes({ objectId, email: 'a@x.io' }, { username: 'ada' }),
    );
    expect(error).toMatchObject({
      errorClass: 'idp_rejected',
      transient: false,
      status: 400,
      code: 'Request_BadRequest',
    });
    expect(error.message).toContain(`Property '${attr('username')}' does not exist`);
  });

  it('a 401 from the token endpoint is a permanent idp_rejected, and Graph is never called', async () => {
    fake.replyToToken({
      status: 401,
      json: {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1',
        error_codes: [7000215],
      },
    });
    const error = await rejection(
      graphSync().writePersonAttributes({ objectId, email: 'a@x.io' }, { status: 'active' }),
    );
    expect(error).toMatchObject({
      errorClass: 'idp_rejected',
      transient: false,
      status: 401,
      code: 'invalid_client',
    });
    expect(error.message).toContain('AADSTS7000215: Invalid client secret provided.');
    expect(error.message).not.toContain('client~secret.value');
    expect(requestsTo('graph')).toEqual([]);
  });

  it('a 503 from the token endpoint is transient', async () => {
    fake.replyToToken({
      status: 503,
      json: { error: 'temporarily_unavailable' },
      headers: { 'retry-after': '2' },
    });
    const error = await rejection(
      graphSync().writePersonAttributes({ objectId, email: 'a@x.io' }, { status: 'active' }),
    );
    expect(error).toMatchObject({
      errorClass: 'idp_unavailable',
      transient: true,
      status: 503,
      retryAfterMs: 2000,
    });
  });

  it('a dropped connection is a transient idp_unavailable with no status', async () => {
    fake.replyToGraph({ dropConnection: true });
    const error = await rejection(
      graphSync().writePersonAttributes({ objectId, email: 'a@x.io' }, { status: 'active' }),
    );
    expect(error).toMatchObject({ errorClass: 'idp_unavailable', transient: true, status: null });
  });

  it('an aborted job signal ends the call as transient', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      graphSync().writePersonAttributes(
        { objectId, email: 'a@x.io' },
        { status: 'active' },
        { signal: controller.signal },
      ),
    );
    expect(error).toMatchObject({ errorClass: 'idp_unavailable', transient: true });
  });
});

describe('createGraphSync', () => {
  it('is null when Graph is not configured', () => {
    expect(createGraphSync(null)).toBeNull();
  });

  it('refuses an http Graph URL, where the client would send no token', () => {
    expect(() =>
      createGraphSync({
        tenantId: 't',
        clientId: 'c',
        clientSecret: 's',
        extensionAppId,
        graphBaseUrl: 'http://127.0.0.1:1',
      }),
    ).toThrow(/https/);
  });
});
