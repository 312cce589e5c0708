/** The one error shape of the REST API (docs/ARCHITECTURE.md, "REST"). */
export interface RestErrorBody {
  error: {
    code: string;
    message: string;
    requestId: string;
    /** Input validation failures: which field, and what is wrong with it. */
    issues?: { path: string; message: string }[];
    details?: Record<string, unknown>;
  };
}

export function errorBody(
  code: string,
  message: string,
  requestId: string,
  extra: Pick<RestErrorBody['error'], 'issues' | 'details'> = {},
): RestErrorBody {
  return { error: { code, message, requestId, ...extra } };
}

interface UpstreamError {
  code?: unknown;
  message?: unknown;
  issues?: { path?: (string | number)[]; message?: string }[];
  data?: { details?: Record<string, unknown> | null };
}

/** Reshapes trpc-to-openapi's error body (tRPC's error shape plus code and zod issues) into ours. */
export function reshapeError(upstream: UpstreamError, requestId: string): RestErrorBody {
  const code = typeof upstream.code === 'string' ? upstream.code : 'INTERNAL_SERVER_ERROR';
  const issues = upstream.issues?.map((i) => ({
    path: (i.path ?? []).join('.') || '(body)',
    message: i.message ?? 'Invalid',
  }));
  const message =
    code === 'INTERNAL_SERVER_ERROR'
      ? 'Something went wrong on our side.'
      : issues?.length
        ? `Invalid input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`
        : typeof upstream.message === 'string'
          ? upstream.message
          : 'Request failed';
  return errorBody(code, message, requestId, {
    ...(issues?.length ? { issues } : {}),
    ...(upstream.data?.details && code !== 'INTERNAL_SERVER_ERROR' ? { details: upstream.data.details } : {}),
  });
}
