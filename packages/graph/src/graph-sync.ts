import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  Client,
  GraphError,
  type GraphRequest,
  HTTPMessageHandler,
} from '@microsoft/microsoft-graph-client';
import { clientCredentialsToken } from './client-credentials-token';
import { localAccountFilter, mailFilter } from './directory-user-filters';
import { extensionAttributesBody, type PersonAttributes } from './extension-attributes';
import {
  defaultAuthorityUrl,
  defaultGraphBaseUrl,
  defaultTokenScope,
  type GraphConfig,
} from './graph-config';
import { errorClassForStatus, IdpError, parseRetryAfter } from './idp-error';

/** Who to update: the directory object id when we know it (the OIDC `sub`/`oid`), else found by email. */
export interface DirectoryPerson {
  objectId?: string | null;
  email: string;
}

export interface GraphCallOptions {
  /** The job's abort signal; an aborted call is a transient failure. */
  signal?: AbortSignal;
}

export interface GraphSync {
  /**
   * Writes the person's B2C extension attributes (`extension_{appId}_username`, `_status`,
   * `_agentUrl`) and returns the object id written to. Throws `IdpError`.
   */
  writePersonAttributes(
    person: DirectoryPerson,
    attributes: PersonAttributes,
    options?: GraphCallOptions,
  ): Promise<{ objectId: string }>;
  /** The directory object id of the user with this email: a B2C local account first, then mail. */
  findUserId(email: string, options?: GraphCallOptions): Promise<string>;
}

const defaultRequestTimeoutMs = 15_000;

/** Null when Graph is not configured: the caller records the identity-provider step as skipped. */
export function createGraphSync(config: GraphConfig | null | undefined): GraphSync | null {
  if (!config) return null;
  const graphBaseUrl = (config.graphBaseUrl ?? defaultGraphBaseUrl).replace(/\/+$/, '');
  const graphUrl = new URL(graphBaseUrl);
  if (graphUrl.protocol !== 'https:') {
    // The Graph client attaches the bearer token only to https URLs; over http every call would be a 401.
    throw new Error(`GRAPH_BASE_URL must be an https URL, got ${graphBaseUrl}`);
  }
  const requestTimeoutMs = config.requestTimeoutMs ?? defaultRequestTimeoutMs;
  const tokens = clientCredentialsToken({
    authorityUrl: config.authorityUrl ?? defaultAuthorityUrl,
    tenantId: config.tenantId,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scope: config.tokenScope ?? defaultTokenScope,
    requestTimeoutMs,
  });
  const b2cIssuer = config.b2cIssuer ?? (config.tenantId.includes('.') ? config.tenantId : null);

  // No RetryHandler or RedirectHandler: retries belong to the job system, which backs off across
  // attempts and shows them on the step, instead of the client sleeping inside one attempt. The
  // handler's own token source is a fallback; each request brings its token (see `call`).
  const client = Client.initWithMiddleware({
    baseUrl: graphBaseUrl,
    defaultVersion: 'v1.0',
    customHosts: new Set([graphUrl.hostname]),
    middleware: [
      new AuthenticationHandler({ getAccessToken: () => tokens.getToken() }),
      new HTTPMessageHandler(),
    ],
  });

  /**
   * Runs one Graph request. The token is fetched here, not by the client on its own: the client would
   * wrap a token failure into a GraphError and lose its status. The request is then told to use exactly
   * this token.
   */
  async function call<T>(
    what: string,
    options: GraphCallOptions,
    run: (request: (path: string) => GraphRequest) => Promise<T>,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const token = await tokens.getToken(signal);
    const withToken = new AuthenticationHandlerOptions({ getAccessToken: async () => token });
    try {
      return await run((path) => client.api(path).middlewareOptions([withToken]).option('signal', signal));
    } catch (error) {
      throw toIdpError(what, error);
    }
  }

  async function findUserId(email: string, options: GraphCallOptions = {}): Promise<string> {
    type UserPage = { value?: { id?: string }[] };
    const found = (page: UserPage): string | null => {
      const ids = (page.value ?? [])
        .map((user) => user.id)
        .filter((id): id is string => typeof id === 'string');
      if (ids.length > 1) {
        throw new IdpError(`${ids.length} directory users match ${email}`, {
          errorClass: 'idp_rejected',
          code: 'user_ambiguous',
        });
      }
      return ids[0] ?? null;
    };
    if (b2cIssuer) {
      const page = await call<UserPage>('find user', options, (request) =>
        request('/users')
          .filter(encodeURIComponent(localAccountFilter(email, b2cIssuer)))
          .select('id')
          .get(),
      );
      const id = found(page);
      if (id) return id;
    }
    const page = await call<UserPage>('find user', options, (request) =>
      request('/users')
        .header('ConsistencyLevel', 'eventual')
        .filter(encodeURIComponent(mailFilter(email)))
        .count(true)
        .select('id')
        .get(),
    );
    const id = found(page);
    if (id) return id;
    throw new IdpError(`No directory user has the address ${email}`, {
      errorClass: 'idp_rejected',
      status: 404,
      code: 'user_not_found',
    });
  }

  return {
    findUserId,
    async writePersonAttributes(person, attributes, options = {}) {
      const objectId = person.objectId || (await findUserId(person.email, options));
      const body = extensionAttributesBody(config.extensionAppId, attributes);
      await call('update user', options, (request) =>
        request(`/users/${encodeURIComponent(objectId)}`).patch(body),
      );
      return { objectId };
    },
  };
}

/** Graph's answer (or the lack of one) as an `IdpError` the job system can act on. */
function toIdpError(what: string, error: unknown): IdpError {
  if (error instanceof IdpError) return error;
  if (error instanceof GraphError) {
    // The client reports -1 (or nothing) when no response arrived: refused, reset, timed out.
    const status = error.statusCode > 0 ? error.statusCode : null;
    const where = status === null ? 'no response' : `HTTP ${status}`;
    const code = status === null ? null : error.code;
    return new IdpError(
      `Microsoft Graph ${what} failed (${where}${code ? `, ${code}` : ''}): ${error.message}`,
      {
        errorClass: errorClassForStatus(status),
        status,
        code,
        retryAfterMs: parseRetryAfter(error.headers?.get('retry-after')),
        cause: error,
      },
    );
  }
  return new IdpError(`Microsoft Graph ${what} failed: ${(error as Error)?.message ?? String(error)}`, {
    errorClass: 'idp_unavailable',
    cause: error,
  });
}
