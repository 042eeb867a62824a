/**
 * One parser family for `npm run fuzz`: where its seeds come from and how one input is run. Adding a family is
 * one small file in families/ and one line in families/index.ts.
 *
 * `run` must return normally for every input, valid or not: a thrown error is a crash unless `expected` says
 * it is the family's documented refusal (e.g. DuisSignatureError). A broken promise of the parser's contract
 * (an error offset outside the input, a value decoded with a wrong key) is reported by throwing
 * ContractViolation, and is never expected.
 */
export interface FuzzFamily {
  readonly name: string;
  readonly description: string;
  /** Valid and interesting inputs to mutate (corpora in ../shared/data, or built by our own encoders). */
  seeds(): readonly Buffer[];
  /** Largest input the generator makes for this family. */
  readonly maxLength?: number;
  /** Texts are mutated as text (UTF-8) with some structure-aware edits; bytes as bytes. */
  readonly kind?: 'bytes' | 'text';
  run(input: Buffer): void;
  /** The family's documented refusals; anything else thrown is a crash. */
  expected?(error: unknown): boolean;
}

export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}
