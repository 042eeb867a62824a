import { GbcsFormatError } from './bytes';

/** Runs a reader expected to refuse its input and returns the GbcsFormatError (any other outcome fails the test). */
export function formatError(run: () => unknown): GbcsFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof GbcsFormatError) return error;
    throw error;
  }
  throw new Error('expected a GbcsFormatError');
}
