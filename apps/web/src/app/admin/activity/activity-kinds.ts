// The log's actor and target filters' choices, read by the page (to check the address's values) and by
// the filters' island; here rather than in the island, whose exports the server sees only as references.
export const actorKinds = ['', 'person', 'token', 'system'] as const;
export const targetKinds = ['', 'person', 'agent', 'token', 'host', 'run'] as const;
