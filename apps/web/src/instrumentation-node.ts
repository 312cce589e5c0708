/** The Node.js part of instrumentation.ts: configuration check, then migrations, before any request. */
export async function startUp(): Promise<void> {
  const fail = (what: string, error: unknown): never => {
    console.error(`[web] ${what}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  };
  try {
    // env.ts parses the whole configuration when first imported, and throws naming every bad variable.
    await import('./env');
  } catch (error) {
    fail('cannot start', error);
  }
  const { migrateDb } = await import('@pocket-smyth/db');
  const { dbHandle } = await import('./server/db');
  await migrateDb(dbHandle).catch((error: unknown) => fail('cannot migrate the app database', error));
  // Where the data is: a file under DATA_DIR unless LIBSQL_URL names a server (without its query, which
  // may carry an authToken).
  console.info(`[web] app data: ${dbHandle.url.split('?')[0]}`);

  // server.mjs serves REST calls that carry a token straight from this handler, without Next's pipeline
  // (see there); the same handler, services and rate-limit counter as the /api/[...rest] route.
  const { restHandler } = await import('./server/rest');
  const { env } = await import('./env');
  const { securityHeaderSettings, staticSecurityHeaders } = await import('./server/security-headers');
  const headers = staticSecurityHeaders(securityHeaderSettings(env));
  (globalThis as Record<symbol, unknown>)[Symbol.for('pocket-smyth.rest-handler')] = async (
    request: Request,
  ) => {
    const response = await restHandler(request);
    for (const [name, value] of headers) response.headers.set(name, value);
    // JSON loads nothing and is framed by nobody.
    response.headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    return response;
  };
}
