import type { z } from 'zod';

/**
 * Turns zod issues into sentences an engineer can act on: "premises.mpan: MPAN check digit should be 7, not 3".
 * Custom messages from our refinements are kept verbatim; the path tells which field is meant.
 */
export function formatZodIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
