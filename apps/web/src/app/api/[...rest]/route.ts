import { restHandler } from '~/server/rest';

// Every /api/* route not claimed by a more specific folder (trpc, auth, openapi.json, docs) is REST,
// generated from the tRPC procedures' OpenAPI meta.
export const GET = restHandler;
export const POST = restHandler;
export const PUT = restHandler;
export const PATCH = restHandler;
export const DELETE = restHandler;
