import { describeUserRepositoryContract } from '../../../../test/users/user-repository.contract.js';
import { InMemoryUserRepository } from './in-memory-user.repository.js';

describe('InMemoryUserRepository', () => {
  describeUserRepositoryContract('in memory', async () => ({
    repository: new InMemoryUserRepository(),
    close: async () => undefined,
  }));
});
