/**
 * Runs once when the server starts (`next start`, `node server.mjs`, `next dev`), before any request.
 * The Node.js side (instrumentation-node.ts) checks the whole configuration and applies migrations; a
 * failure ends the process naming every bad variable, instead of a server that answers 500 to all.
 */
export async function register() {
  // Next sets NEXT_RUNTIME for each bundle, so the edge bundle leaves the Node.js part out.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startUp } = await import('./instrumentation-node');
    await startUp();
  }
}
