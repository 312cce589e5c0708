import type { RunKind } from '@pocket-smyth/db';
import { errorClassInWords } from '@pocket-smyth/db/run-errors';
import { html, type SafeHtml } from './html';
import type { FailedRun } from './mail-kinds';

/** What a run of each kind was doing, to begin a sentence: "Setting up your agent failed". */
export const runKindInWords: Record<RunKind, string> = {
  provision: 'Setting up',
  restart: 'Restarting',
  stop: 'Stopping',
  deprovision: 'Removing',
  move: 'Moving',
};

/** A script's error can be long; the mail points to the full output on the run's page. */
const messageLimit = 500;

function whatWentWrong(run: FailedRun): string {
  const message = run.message.trim();
  const shown = message.length > messageLimit ? `${message.slice(0, messageLimit - 1)}…` : message;
  const words = errorClassInWords[run.errorClass];
  if (!words) return shown || `It failed (${run.errorClass}).`;
  return shown ? `${words} ${shown}` : words;
}

/** The run, its failed step and why, as plain-text lines and as HTML (every value escaped). */
export function failedRunDetails(run: FailedRun): { text: string; html: SafeHtml } {
  const why = whatWentWrong(run);
  const lines = [`Run: ${run.kind}`, run.step ? `Step: ${run.step}` : null, `What went wrong: ${why}`];
  return {
    text: lines.filter((line): line is string => line !== null).join('\n'),
    html: html`<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 12px;padding:12px;background:#f9fafb;border-left:3px solid #dc2626;width:100%;">
<tr><td style="padding:2px 12px 2px 0;color:#6b7280;vertical-align:top;">Run</td><td style="padding:2px 0;">${run.kind}</td></tr>
${run.step ? html`<tr><td style="padding:2px 12px 2px 0;color:#6b7280;vertical-align:top;">Step</td><td style="padding:2px 0;">${run.step}</td></tr>` : null}
<tr><td style="padding:2px 12px 2px 0;color:#6b7280;vertical-align:top;">What went wrong</td><td style="padding:2px 0;white-space:pre-wrap;">${why}</td></tr>
</table>`,
  };
}
