import { Query } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { User } from '../../../domain/user.js';

@RequiresHandler()
export class GetUserQuery extends Query<User> {
  constructor(readonly userId: string) {
    super();
  }
}
