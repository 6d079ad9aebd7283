import { type UserListCriteria, UserRepository } from '../domain/user.repository.js';
import { User, type UserState } from '../domain/user.js';
import { EmailTakenError, UserNotFoundError, UserVersionMismatchError } from '../domain/user.errors.js';

/**
 * The same port in a `Map`, for unit tests of handlers: no database, same behaviour (the
 * contract suite runs against both adapters). Stores copies, so callers cannot change a
 * stored user without `save`.
 */
export class InMemoryUserRepository extends UserRepository {
  private readonly states = new Map<string, UserState>();

  async findById(id: string): Promise<User | null> {
    const state = this.states.get(id);
    return state ? User.restore(state) : null;
  }

  async count(): Promise<number> {
    return this.states.size;
  }

  async list(criteria: UserListCriteria): Promise<User[]> {
    const search = criteria.search?.toLowerCase();
    return [...this.states.values()]
      .filter((user) => criteria.afterId === undefined || user.id > criteria.afterId)
      .filter((user) => criteria.email === undefined || user.email === criteria.email)
      .filter(
        (user) =>
          search === undefined || user.name.toLowerCase().includes(search) || user.email.toLowerCase().includes(search),
      )
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, criteria.limit)
      .map(User.restore);
  }

  async add(user: User): Promise<void> {
    this.assertEmailFree(user.email, user.id);
    this.states.set(user.id, user.toState());
  }

  async save(user: User): Promise<void> {
    this.assertAtVersion(user.id, user.version - 1);
    this.assertEmailFree(user.email, user.id);
    this.states.set(user.id, user.toState());
  }

  /** One event loop, no concurrent transactions: nothing to lock. */
  async lockAdmins(): Promise<string[]> {
    return [...this.states.values()].filter((user) => user.role === 'admin').map((user) => user.id);
  }

  async remove(user: User): Promise<void> {
    this.assertAtVersion(user.id, user.version);
    this.states.delete(user.id);
  }

  private assertEmailFree(email: string, ownerId: string): void {
    for (const stored of this.states.values())
      if (stored.email === email && stored.id !== ownerId) throw new EmailTakenError(email);
  }

  private assertAtVersion(id: string, expectedVersion: number): void {
    const stored = this.states.get(id);
    if (!stored) throw new UserNotFoundError(id);
    if (stored.version !== expectedVersion) throw new UserVersionMismatchError(id, expectedVersion, stored.version);
  }
}
