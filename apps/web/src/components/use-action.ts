'use client';

import { useState, useTransition } from 'react';
import type { ActionResult } from '~/server/procedure-action';

/**
 * Calls one server action (a procedure, through `procedureAction`) from an island: `run(input)`
 * resolves to the action's result, `pending` is true until the re-rendered page has arrived, and
 * `error` is the last refusal's message, for a `role="alert"` line beside the control.
 */
export function useAction<I, T>(action: (input: I) => Promise<ActionResult<T>>) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  function run(input: I): Promise<ActionResult<T>> {
    return new Promise((resolve, reject) => {
      startTransition(async () => {
        try {
          const answer = await action(input);
          setResult(answer);
          resolve(answer);
        } catch (error) {
          reject(error);
        }
      });
    });
  }
  return {
    run,
    pending,
    result,
    error: result && !result.ok ? result.error : null,
    reset: () => setResult(null),
  };
}
