import type { UnitOfWork } from '../../src/infrastructure/database/unit-of-work.js';

/**
 * `UnitOfWork` without a database, for unit tests of handlers that defer work to the commit:
 * `run` runs the work and then the after-commit callbacks (none if the work threw), a nested
 * `run` joins the outer one, and outside `run` a callback runs at once, as the real one does.
 */
export class FakeUnitOfWork {
  private pending: (() => void)[] | undefined;

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.pending) return work();
    const pending: (() => void)[] = [];
    this.pending = pending;
    try {
      const result = await work();
      this.pending = undefined;
      for (const callback of pending) callback();
      return result;
    } finally {
      this.pending = undefined;
    }
  }

  afterCommit(callback: () => void): void {
    if (this.pending) this.pending.push(callback);
    else callback();
  }

  asUnitOfWork(): UnitOfWork {
    return this as unknown as UnitOfWork;
  }
}
