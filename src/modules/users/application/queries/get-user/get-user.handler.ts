import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { User } from '../../../domain/user.js';
import { UserNotFoundError } from '../../../domain/user.errors.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { GetUserQuery } from './get-user.query.js';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly users: UserRepository) {}

  async execute(query: GetUserQuery): Promise<User> {
    const user = await this.users.findById(query.userId);
    if (!user) throw new UserNotFoundError(query.userId);
    return user;
  }
}
