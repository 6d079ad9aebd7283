import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

interface Transaction {
  manager: EntityManager;
  afterCommit: (() => void)[];
}

/**
 * One PostgreSQL transaction across repositories, and across modules: `run(work)` opens a
 * transaction and every repository that reads `manager` while `work` runs (through the same
 * async call chain, command bus included) takes part in it. A nested `run` joins the outer one.
 *
 * Work that must not happen unless the transaction commits (publishing events, which start
 * listeners that read the new rows) goes through `afterCommit`, which runs at once outside a
 * transaction.
 */
@Injectable()
export class UnitOfWork {
  private readonly current = new AsyncLocalStorage<Transaction>();

  constructor(private readonly dataSource: DataSource) {}

  /** The current transaction's entity manager, or the data source's outside one. */
  get manager(): EntityManager {
    return this.current.getStore()?.manager ?? this.dataSource.manager;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.current.getStore()) return work();
    const afterCommit: (() => void)[] = [];
    const result = await this.dataSource.transaction((manager) => this.current.run({ manager, afterCommit }, work));
    for (const callback of afterCommit) callback();
    return result;
  }

  afterCommit(callback: () => void): void {
    const transaction = this.current.getStore();
    if (transaction) transaction.afterCommit.push(callback);
    else callback();
  }
}
