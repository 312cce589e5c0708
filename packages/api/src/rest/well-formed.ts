/**
 * Input that is not well-formed text is refused at the edge, the same way on REST and `/api/trpc`
 * (docs/ARCHITECTURE.md, "REST"): a path or query whose percent-encoding does not decode to UTF-8, a
 * body that is not UTF-8 (`read-body.ts`), and a string holding a lone UTF-16 surrogate (JSON allows
 * `"\ud800"`; no person's name or reason is ever that, and storing it breaks every consumer that
 * re-encodes it as UTF-8).
 */

/** A surrogate code unit that is not half of a pair: in unicode mode a pair is one code point. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/**
 * Where in `input` (a parsed body, query or path object) the first string or key with a lone surrogate
 * is, as a dotted path (`(input)` for the value itself), or null when there is none. Walks iteratively,
 * keeping each step's parent rather than its path, so a deeply nested body costs neither stack nor
 * quadratic memory; only plain objects and arrays are entered.
 */
export function findLoneSurrogate(input: unknown): string | null {
  interface Step {
    value: unknown;
    key: string | null;
    parent: Step | null;
  }
  const pathOf = (step: Step, lastKey?: string): string => {
    const keys = lastKey === undefined ? [] : [lastKey];
    for (let s: Step | null = step; s?.key != null; s = s.parent) keys.push(s.key);
    return printable(keys.reverse().join('.') || '(input)');
  };
  const stack: Step[] = [{ value: input, key: null, parent: null }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const { value } = step;
    if (typeof value === 'string') {
      if (hasLoneSurrogate(value)) return pathOf(step);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], key: String(i), parent: step });
    } else if (value !== null && typeof value === 'object') {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) continue;
      const entries = Object.entries(value);
      for (const [key] of entries) if (hasLoneSurrogate(key)) return pathOf(step, key);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        stack.push({ value: child, key, parent: step });
      }
    }
  }
  return null;
}

/** A path fit for an error message: no lone surrogates, at most 120 characters. */
function printable(path: string): string {
  const clean = path.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}

/**
 * Why a request URL is refused, or null: its path, or a name or value of its query, holds
 * percent-encoding that does not decode to UTF-8 (`%FF`, `%ED%A0%80`, a lone `%`).
 */
export function malformedUrlEncoding(url: string): string | null {
  const { pathname, search } = new URL(url);
  if (!decodes(pathname)) return 'The request path is not valid percent-encoded UTF-8.';
  for (const part of search.slice(1).split('&')) {
    if (!decodes(part.replace(/\+/g, ' '))) return 'The query string is not valid percent-encoded UTF-8.';
  }
  return null;
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}
