import { validateDuis, signDuis } from '@smartdcc/duis-sign-wrap';

/**
 * Test-only access to DCC's own validator (dccboxed-signing-tool, bundling DUIS/MMC Schema V5.1), wrapped by
 * @smartdcc/duis-sign-wrap. Every call starts a JVM (~0.8 s), so callers pass whole batches and at most two run
 * at once (CI has two cores). Never imported by app code: the app and the simulator do not need Java.
 */
// C1-only JIT and the serial GC roughly halve the JVM's start-up time and CPU for these one-document runs.
process.env.JAVA_TOOL_OPTIONS ??= '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

export interface OracleVerdict {
  readonly ok: boolean;
  /** The tool's diagnostics (stderr) on failure, its output (the document without signature) on success. */
  readonly output: string;
}

async function limited<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Schema + signature validation of each document, two JVMs at a time. */
export function oracleValidate(documents: readonly string[]): Promise<OracleVerdict[]> {
  return limited(documents, 2, async (xml) => {
    try {
      return { ok: true, output: await validateDuis({ xml }) };
    } catch (error) {
      return { ok: false, output: error instanceof Error ? error.message : String(error) };
    }
  });
}

/** DCC's tool signing with its built-in key for the RequestID's User (keeps our counter). */
export function oracleSign(xml: string): Promise<string> {
  return signDuis({ xml, preserveCounter: true });
}

/** True when the tool's XSD check passed, even if it then refused the document for lacking a signature. */
export function passedXsd(verdict: OracleVerdict): boolean {
  return verdict.ok || verdict.output.includes('[I] passed xsd validation');
}
