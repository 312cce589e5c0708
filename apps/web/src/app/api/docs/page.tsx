import type { Metadata } from 'next';
import { openApiDocument } from '~/server/openapi';
import { schemaType } from './schema-type';

export const metadata: Metadata = { title: 'API reference' };
// Rendered by the running server, so the base URL shown is its configured one, not the build machine's.
export const dynamic = 'force-dynamic';

type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  'x-required-scope'?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: object }[];
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: object }> }>;
};

const methodTone: Record<string, string> = {
  get: 'bg-ok/15 text-ok',
  post: 'bg-accent/15 text-accent',
  patch: 'bg-warn/15 text-warn',
  put: 'bg-warn/15 text-warn',
  delete: 'bg-danger/15 text-danger',
};

/** A readable reference generated from /api/openapi.json, served by the app itself (no CDN assets). */
export default async function ApiDocsPage() {
  const doc = openApiDocument;
  const components = (doc.components?.schemas ?? {}) as Record<string, object>;
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  }
  const base = doc.servers?.[0]?.url ?? '/api';

  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-8 px-4 py-10">
      <header className="flex flex-col gap-2">
        <h1 className="text-3xl font-semibold">{doc.info.title}</h1>
        <p className="text-muted">{doc.info.description}</p>
        <p className="text-sm">
          Base URL <code className="font-mono">{base}</code> · OpenAPI {doc.openapi} document:{' '}
          <a className="text-accent underline" href="/api/openapi.json">
            /api/openapi.json
          </a>
        </p>
        <pre className="whitespace-pre-wrap break-all rounded-md border border-border bg-surface p-3 text-sm">
          {`curl -H "Authorization: Bearer pst_…" ${base}/me`}
        </pre>
      </header>
      <nav aria-label="Sections" className="flex flex-wrap gap-3 text-sm">
        {[...byTag.keys()].map((tag) => (
          <a
            key={tag}
            href={`#${tag}`}
            className="rounded-md border border-border px-2 py-1 hover:bg-surface"
          >
            {tag}
          </a>
        ))}
      </nav>
      {[...byTag.entries()].map(([tag, ops]) => (
        <section key={tag} id={tag} className="flex flex-col gap-4">
          <h2 className="text-xl font-semibold capitalize">{tag}</h2>
          {ops.map(({ method, path, op }) => {
            const body = op.requestBody?.content?.['application/json']?.schema;
            const okStatus = Object.keys(op.responses ?? {}).find((s) => s.startsWith('2'));
            const ok = okStatus ? op.responses?.[okStatus]?.content?.['application/json']?.schema : undefined;
            return (
              <article
                key={`${method} ${path}`}
                id={`${method}-${path}`}
                className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4"
              >
                <div className="flex flex-wrap items-center gap-3">
                  <span
                    className={`rounded px-2 py-0.5 font-mono text-xs font-semibold uppercase ${methodTone[method] ?? ''}`}
                  >
                    {method}
                  </span>
                  <code className="font-mono text-sm">{path}</code>
                  {op['x-required-scope'] ? (
                    <span className="rounded-full bg-border px-2 py-0.5 font-mono text-xs">
                      {op['x-required-scope']}
                    </span>
                  ) : null}
                </div>
                {op.summary ? <p className="text-sm">{op.summary}</p> : null}
                {op.parameters?.length ? (
                  <table className="text-left text-sm">
                    <thead className="text-muted">
                      <tr>
                        <th className="pr-4 font-medium">Parameter</th>
                        <th className="pr-4 font-medium">In</th>
                        <th className="font-medium">Type</th>
                      </tr>
                    </thead>
                    <tbody>
                      {op.parameters.map((p) => (
                        <tr key={`${p.in}-${p.name}`}>
                          <td className="pr-4 font-mono">
                            {p.name}
                            {p.required ? '' : '?'}
                          </td>
                          <td className="pr-4 text-muted">{p.in}</td>
                          <td className="font-mono text-xs">{schemaType(p.schema, components)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
                {body ? (
                  <details>
                    <summary className="cursor-pointer text-sm font-medium">Request body</summary>
                    <pre className="mt-2 whitespace-pre-wrap break-words text-xs">
                      {schemaType(body, components)}
                    </pre>
                  </details>
                ) : null}
                {ok ? (
                  <details>
                    <summary className="cursor-pointer text-sm font-medium">Response {okStatus}</summary>
                    <pre className="mt-2 whitespace-pre-wrap break-words text-xs">
                      {schemaType(ok, components)}
                    </pre>
                  </details>
                ) : null}
              </article>
            );
          })}
        </section>
      ))}
      <section className="flex flex-col gap-2">
        <h2 className="text-xl font-semibold">Errors</h2>
        <pre className="whitespace-pre-wrap break-words rounded-md border border-border bg-surface p-3 text-xs">
          {schemaType(components.Error, components)}
        </pre>
      </section>
    </main>
  );
}
