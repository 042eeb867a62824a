import { z } from 'zod';
import { visitAnswersSchema } from '../../src-shared/model/visit-events';
import { formatZodIssues } from '../../src-shared/model/zod-issues';

/**
 * What a person would type during a visit, for `hantool install run --answers FILE` (docs/install-answers.md).
 * `labels`: device labels as scanned, matched to a job device by id or by type. `answers`: answer forms per step
 * (a step key such as "verification" or "join:D1", or a step kind for every device). `skip`: reasons to skip
 * steps instead of running them.
 */
export const answersFileSchema = z
  .object({
    format: z.literal('han-commissioner.install-answers'),
    version: z.literal(1),
    labels: z
      .array(
        z
          .object({
            deviceId: z.string().min(1).max(40).optional(),
            type: z.enum(['ESME', 'GSME', 'IHD', 'PPMID']).optional(),
            label: z.string().min(1).max(200),
          })
          .strict()
          .refine((l) => l.deviceId !== undefined || l.type !== undefined, { message: 'a label needs the deviceId or the type it belongs to' }),
      )
      .max(64)
      .default([]),
    answers: z.record(z.string().max(60), z.union([visitAnswersSchema, z.array(visitAnswersSchema).max(20)])).default({}),
    skip: z.record(z.string().max(60), z.string().trim().min(1).max(500)).default({}),
  })
  .strict();
export type AnswersFile = z.output<typeof answersFileSchema>;

export function parseAnswersFile(text: string): { ok: true; value: AnswersFile } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `answers file is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = answersFileSchema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: formatZodIssues(parsed.error, 'answers file').join('; ') };
}
