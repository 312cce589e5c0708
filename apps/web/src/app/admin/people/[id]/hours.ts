/** Agent-hours as the quota card and its toast say them: one decimal at most. */
export const hours = (n: number) => `${Math.round(n * 10) / 10} h`;
