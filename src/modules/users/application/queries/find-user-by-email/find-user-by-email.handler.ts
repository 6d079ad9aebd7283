import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { normaliseEmail, type User } from '../../../domain/user.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { FindUserByEmailQuery } from './find-user-by-email.query.js';

@QueryHandler(FindUserByEmailQuery)
export class FindUserByEmailHandler implements IQueryHandler<FindUserByEmailQuery> {
  constructor(private readonly users: UserRepository) {}

  async execute(query: FindUserByEmailQuery): Promise<User | null> {
    const [user] = await this.users.list({ limit: 1, email: normaliseEmail(query.email) });
    return user ?? null;
  }
}
