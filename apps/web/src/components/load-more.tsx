import Link from 'next/link';

/** At most this many pages on one screen: `?pages=` is in the address bar, so anyone can type a number. */
const MAX_PAGES = 40;

/** How many pages a list shows, from its `?pages=` ("Load more" adds one); 1 when absent or bad. */
export function pageCount(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_PAGES) : 1;
}

type Page = { items: unknown[]; nextCursor: string | null };

/**
 * The first `pages` pages of a cursor-paged procedure, read one after another: a long list keeps its
 * rows in server HTML and "Load more" is a link, so no query client has to hold them in the browser.
 */
export async function readPages<P extends Page>(
  pages: number,
  read: (cursor: string | undefined) => Promise<P>,
): Promise<{ first: P; items: P['items']; more: boolean }> {
  const first = await read(undefined);
  const items = [...first.items];
  let cursor = first.nextCursor;
  for (let page = 1; page < pages && cursor; page += 1) {
    const next = await read(cursor);
    items.push(...next.items);
    cursor = next.nextCursor;
  }
  return { first, items, more: cursor !== null };
}

/** "Load more": the same address with one page more; the page keeps its scroll position. */
export function LoadMore({ params, pages }: { params: Record<string, string | undefined>; pages: number }) {
  const next = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value && key !== 'pages') next.set(key, value);
  next.set('pages', String(pages + 1));
  return (
    <Link
      href={`?${next}`}
      scroll={false}
      replace
      className="mt-4 inline-flex items-center justify-center gap-2 rounded-md border border-border bg-surface px-4 py-2 text-sm font-medium text-text transition hover:bg-bg"
    >
      Load more
    </Link>
  );
}
