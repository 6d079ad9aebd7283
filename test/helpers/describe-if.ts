/**
 * `describe` when `condition` holds; otherwise `describe.skip` with `reason` in the name, so the
 * run reports the suite as skipped, never as passed.
 */
export function describeIf(condition: boolean, reason: string): (name: string, suite: () => void) => void {
  return (name, suite) => {
    if (condition) describe(name, suite);
    else describe.skip(`${name} [SKIPPED: ${reason}]`, suite);
  };
}
