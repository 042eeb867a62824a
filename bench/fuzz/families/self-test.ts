import type { FuzzFamily } from '../family';

/**
 * Families that misbehave on purpose, so the runner's watchdog, crash de-duplication and reproducers are
 * themselves tested (bench/fuzz/fuzz.test.ts). Not part of `all`.
 */
export const selfTestHang: FuzzFamily = {
  name: 'self-test-hang',
  description: 'hangs on inputs starting with 0x00 (tests the watchdog)',
  seeds: () => [Buffer.from([0x01, 0x02])],
  run(input) {
    if (input[0] === 0x00) for (;;);
  },
};

export const selfTestCrash: FuzzFamily = {
  name: 'self-test-crash',
  description: 'throws one TypeError class on inputs of even length (tests de-duplication)',
  seeds: () => [Buffer.from([0x01, 0x02, 0x03])],
  run(input) {
    if (input.length % 2 === 0 && input.length > 0) (undefined as unknown as { x: number }).x = input.length;
  },
};
