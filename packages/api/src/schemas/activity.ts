import { actorKinds } from '@pocket-smyth/db';
import { z } from 'zod';
import { isoDate } from './date';

const json = z.record(z.string(), z.unknown()).nullable();

export const activityEventOutput = z.object({
  id: z.string(),
  at: isoDate(),
  actorKind: z.enum(actorKinds),
  actorId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  action: z.string(),
  targetKind: z.string().nullable(),
  targetId: z.string().nullable(),
  targetLabel: z.string().nullable(),
  before: json,
  after: json,
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});
