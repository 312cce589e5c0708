/** Why a person has no agent, in their status's words: only a waiting person is "not approved yet". */
export function noAgentWords(status: string): string {
  if (status === 'pending' || status === 'onboarding') return 'No agent (not approved yet).';
  if (status === 'rejected') return 'No agent (request not approved).';
  return 'No agent.';
}
