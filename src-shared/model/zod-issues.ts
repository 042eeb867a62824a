import type { z } from 'zod';

/**
 * Turns zod issues into sentences an engineer can act on: "premises.mpan: 1200023305968 is not a valid MPAN…".
 * Custom messages from our refinements are kept verbatim; the path tells which field is meant.
 */
export function formatZodIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
