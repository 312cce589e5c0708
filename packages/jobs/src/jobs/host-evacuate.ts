import { hostEvacuateSpec } from '../contract/host-evacuate';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';
import { evacuationRound } from '../evacuation';

/** One round of a host's evacuation (docs/ARCHITECTURE.md, "Moves and evacuations"). */
export const hostEvacuate = defineJob(hostEvacuateSpec, (payload, context: JobContext<JobDeps>) =>
  evacuationRound(context.deps, payload.evacuationId),
);
