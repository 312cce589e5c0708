import { z } from 'zod';
import { isoDate } from './date';
import { imageReference } from './rollout';

/**
 * A plan's figures (docs/ARCHITECTURE.md, "Plans and quotas"). Null means the deployment's setting for
 * CPUs, memory and the API rate (AGENT_CPUS, AGENT_MEMORY_MB, RATE_LIMIT_PER_MINUTE), and no limit for
 * the monthly quotas and the token count.
 */
const planFieldsShape = {
  name: z.string().trim().min(1).max(60),
  description: z.string().trim().max(500),
  /** CPUs per agent, up to two decimals. */
  cpus: z.number().positive().max(999).multipleOf(0.01).nullable(),
  memoryMb: z.number().int().min(64).max(9_999_999).nullable(),
  publicUrlAllowed: z.boolean(),
  apiRequestsPerMinute: z.number().int().min(1).max(1_000_000).nullable(),
  monthlyAgentHours: z.number().int().min(0).max(100_000).nullable(),
  monthlyApiCalls: z.number().int().min(0).max(1_000_000_000).nullable(),
  maxApiTokens: z.number().int().min(0).max(1_000).nullable(),
  agentImage: imageReference.nullable(),
};

export const createPlanInput = z.strictObject({
  ...planFieldsShape,
  description: planFieldsShape.description.default(''),
  publicUrlAllowed: planFieldsShape.publicUrlAllowed.default(true),
  cpus: planFieldsShape.cpus.default(null),
  memoryMb: planFieldsShape.memoryMb.default(null),
  apiRequestsPerMinute: planFieldsShape.apiRequestsPerMinute.default(null),
  monthlyAgentHours: planFieldsShape.monthlyAgentHours.default(null),
  monthlyApiCalls: planFieldsShape.monthlyApiCalls.default(null),
  maxApiTokens: planFieldsShape.maxApiTokens.default(null),
  agentImage: planFieldsShape.agentImage.default(null),
  isDefault: z.boolean().default(false),
});

export const planIdInput = z.strictObject({ id: z.string().min(1).max(64) });

export const updatePlanInput = z
  .strictObject(planFieldsShape)
  .partial()
  .extend({
    id: z.string().min(1).max(64),
    /** true: this plan becomes the default for new people (the old default stops being it). */
    isDefault: z.literal(true).optional(),
    /** true archives (refused for the default and for a plan anyone is on); false brings it back. */
    archived: z.boolean().optional(),
  });

export const planOutput = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  cpus: z.number().nullable(),
  memoryMb: z.number().nullable(),
  publicUrlAllowed: z.boolean(),
  apiRequestsPerMinute: z.number().nullable(),
  monthlyAgentHours: z.number().nullable(),
  monthlyApiCalls: z.number().nullable(),
  maxApiTokens: z.number().nullable(),
  agentImage: z.string().nullable(),
  isDefault: z.boolean(),
  archivedAt: isoDate().nullable(),
  createdAt: isoDate(),
  updatedAt: isoDate(),
});

export const planSummaryOutput = planOutput.extend({
  /** People on the plan, whatever their status. */
  people: z.number(),
});
