'use client';

import type { AppRouter } from '@pocket-smyth/api';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Download, Pause, Play } from '~/components/icons';
import { Button } from '~/components/ui/button';
import type { LogSource } from './log-source';

interface LogLine {
  at: string;
  text: string;
}

/** Lines kept in the page; older ones are dropped as new ones arrive. */
const BUFFER_LINES = 2000;
/** Lines shown when the viewer opens. */
const FIRST_TAIL = 200;
/** What "Download" fetches, fresh from the host: more than the page keeps. */
const DOWNLOAD_TAIL = 5000;

// Its own small client, loaded with this chunk only: the page's client has no SSE link, so pages that
// never show logs never download one.
const logsClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/api/trpc' }),
      false: httpLink({ url: '/api/trpc' }),
    }),
  ],
});

function follow(
  source: LogSource,
  input: { tail: number; since?: string },
  handlers: {
    onData: (batch: { lines: LogLine[]; error: string | null }) => void;
    onError: (e: Error) => void;
  },
) {
  const onData = (event: { data: { lines: LogLine[]; error: string | null } }) => handlers.onData(event.data);
  return source.kind === 'mine'
    ? logsClient.agent.followLogs.subscribe(input, { onData, onError: handlers.onError })
    : logsClient.admin.users.followAgentLogs.subscribe(
        { id: source.personId, ...input },
        { onData, onError: handlers.onError },
      );
}

function readTail(source: LogSource, tail: number) {
  return source.kind === 'mine'
    ? logsClient.agent.logs.query({ tail })
    : logsClient.admin.users.agentLogs.query({ id: source.personId, tail });
}

/** hh:mm:ss of a line's time, in the viewer's zone (the full time is its tooltip). */
function clock(at: string): string {
  const date = new Date(at.replace(/\.(\d{3})\d*Z$/, '.$1Z'));
  return Number.isNaN(date.getTime()) ? at : date.toLocaleTimeString(undefined, { hour12: false });
}

/**
 * The agent's last lines, then new ones as they come (a tRPC subscription over SSE), in a bounded
 * buffer. Lines are text nodes, never markup. Pausing stops following; resuming fetches what came in
 * between. Scrolled up, the view stays where it is; at the bottom, it follows.
 */
export default function LogViewer({ source, username }: { source: LogSource; username: string }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [paused, setPaused] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const lastAt = useRef<string | undefined>(undefined);
  const box = useRef<HTMLPreElement>(null);
  const stuckToBottom = useRef(true);

  const sourceKey = source.kind === 'mine' ? 'mine' : source.personId;
  // One follow per source and pause state (`source` itself is a fresh object each render).
  useEffect(() => {
    if (paused) return;
    const subscription = follow(
      source,
      { tail: FIRST_TAIL, ...(lastAt.current ? { since: lastAt.current } : {}) },
      {
        onData: (batch) => {
          setLoaded(true);
          setProblem(batch.error);
          if (batch.lines.length === 0) return;
          lastAt.current = batch.lines.at(-1)?.at;
          setLines((current) => [...current, ...batch.lines].slice(-BUFFER_LINES));
        },
        onError: (error) => {
          setLoaded(true);
          setProblem(error.message);
        },
      },
    );
    return () => subscription.unsubscribe();
  }, [sourceKey, paused]);

  // New lines keep the view at the bottom, unless the reader scrolled up to read something.
  useLayoutEffect(() => {
    const element = box.current;
    if (element && stuckToBottom.current) element.scrollTop = element.scrollHeight;
  }, [lines]);

  async function download() {
    setDownloading(true);
    try {
      const { lines: all } = await readTail(source, DOWNLOAD_TAIL);
      const text = all.map((line) => `${line.at} ${line.text}\n`).join('');
      const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${username}-agent.log`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setDownloading(false);
    }
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Button variant="secondary" className="px-3 py-1" onClick={() => setPaused((p) => !p)}>
          {paused ? (
            <Play aria-hidden="true" className="size-4" />
          ) : (
            <Pause aria-hidden="true" className="size-4" />
          )}
          {paused ? 'Resume' : 'Pause'}
        </Button>
        <Button variant="secondary" className="px-3 py-1" disabled={downloading} onClick={download}>
          <Download aria-hidden="true" className="size-4" />
          {downloading ? 'Preparing…' : `Download last ${DOWNLOAD_TAIL.toLocaleString('en')} lines`}
        </Button>
        <span className="text-muted" role="status">
          {!loaded ? 'Reading…' : paused ? 'Paused' : 'Following'}
          {lines.length > 0 ? ` · ${lines.length.toLocaleString('en')} lines` : ''}
        </span>
      </div>
      {problem ? (
        <p role="alert" className="text-sm text-danger">
          {problem}
        </p>
      ) : null}
      <pre
        ref={box}
        role="log"
        aria-label="Agent log lines"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
        tabIndex={0}
        onScroll={(event) => {
          const element = event.currentTarget;
          stuckToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
        }}
        className="h-80 overflow-auto whitespace-pre-wrap break-all rounded-md border border-border bg-bg p-3 font-mono text-xs"
      >
        {loaded && lines.length === 0 ? (
          <span className="text-muted">No output yet.</span>
        ) : (
          lines.map((line, index) => (
            // Lines only ever append, and two may share a time: the position completes the key.
            <span key={`${line.at}-${index}`} data-log-line="">
              <time dateTime={line.at} title={line.at} className="text-muted">
                {clock(line.at)}
              </time>{' '}
              {line.text}
              {'\n'}
            </span>
          ))
        )}
      </pre>
    </div>
  );
}
