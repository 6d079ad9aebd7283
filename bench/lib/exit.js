/**
 * Wires SIGTERM and SIGINT to an orderly exit: `closeFn`, then exit code 0, or 1 if it failed.
 * Returns that same `close`, safe to call again, for the caller's other reasons to stop.
 * @param {() => Promise<unknown>} closeFn
 * @returns {() => void}
 */
export function closeOnSignals(closeFn) {
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    // Bounded: a stuck close (an onClose hook, a worker) must not keep the process (and the run) alive.
    setTimeout(() => process.exit(1), 5_000).unref();
    closeFn().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
  return close;
}
