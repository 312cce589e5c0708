import { z } from 'zod';

/**
 * A moment in a procedure's output: the resolver returns a Date, the caller gets its ISO 8601 string
 * (`2026-12-04T05:21:20.000Z`). tRPC sends plain JSON (no transformer: docs/ARCHITECTURE.md, "Layers"), so
 * a Date could not arrive as one; with the string in the type, the browser, the server components and
 * the REST API all see the same value, and the OpenAPI document says `string` as before.
 */
export const isoDate = () =>
  z.codec(z.date(), z.string(), {
    decode: (date) => date.toISOString(),
    encode: (text) => new Date(text),
  });
