/** Whose logs a viewer shows: the signed-in person's own agent, or (admins) a person's by id. */
export type LogSource = { kind: 'mine' } | { kind: 'person'; personId: string };
