/**
 * The error classes a run step records (docs/ARCHITECTURE.md, "Runs and steps"), each as a sentence for someone who has never seen the
 * class: the portal's run timeline and the "needs attention" mails both read it. Kept free of imports so
 * client components can take it (`@pocket-smyth/db/run-errors`) without the database driver.
 */
export const errorClassInWords: Readonly<Record<string, string>> = {
  host_unreachable: 'The host could not be reached.',
  host_key_mismatch: 'The host’s identity did not match its pinned key, so we did not connect.',
  auth_failed: 'The host refused our SSH key.',
  script_failed: 'The host script reported an error.',
  timeout: 'The step took too long.',
  aborted: 'The step was interrupted.',
  idp_rejected: 'The identity provider refused the update.',
  idp_unavailable: 'The identity provider was unavailable.',
  email_rejected: 'The mail provider refused the message.',
  email_unavailable: 'The mail provider was unavailable.',
  no_host_capacity: 'No host had room for the agent: every host is full or draining.',
  host_missing: 'The agent’s host no longer exists.',
  host_misconfigured: 'The agent’s host is not set up correctly. An admin needs to fix its settings.',
  not_provisioned: 'The agent was never set up on a host.',
  secrets_key_missing:
    'The agent’s environment variables cannot be decrypted: the worker has no AGENT_SECRETS_KEY, or not the one they were stored with. An admin needs to set it.',
  internal: 'Something went wrong on our side.',
};
