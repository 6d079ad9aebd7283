import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { User } from '../../../domain/user.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { GetUserQuery } from './get-user.query.js';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly users: UserRepository) {}

  execute(query: GetUserQuery): Promise<User> {
    return this.users.getById(query.userId);
  }
}
