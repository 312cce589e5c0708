import { z } from 'zod';

/** A person's preferences, stored as JSON on `users.preferences` and validated on the way in and out. */
export const preferencesSchema = z
  .object({
    displayName: z.string().trim().max(80).optional(),
    timeZone: z
      .string()
      .max(64)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'Unknown time zone')
      .optional(),
    emailNotifications: z.boolean().optional(),
  })
  .strict();

export type Preferences = z.infer<typeof preferencesSchema>;

/** Reading never throws: a stored value that no longer fits the schema falls back to defaults. */
export function parsePreferences(value: unknown): Preferences {
  const parsed = preferencesSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}
