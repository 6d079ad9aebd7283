import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock, SystemClock } from '../../shared/clock.js';
import { ChangeUserRoleHandler } from './application/commands/change-user-role/change-user-role.handler.js';
import { VerifyUserEmailHandler } from './application/commands/verify-user-email/verify-user-email.handler.js';
import { FindUserByEmailHandler } from './application/queries/find-user-by-email/find-user-by-email.handler.js';
import { DeleteUserHandler } from './application/commands/delete-user/delete-user.handler.js';
import { RegisterUserHandler } from './application/commands/register-user/register-user.handler.js';
import { UpdateUserHandler } from './application/commands/update-user/update-user.handler.js';
import { CreateProfileListener } from './application/listeners/create-profile.listener.js';
import { QueueWelcomeEmailListener } from './application/listeners/queue-welcome-email.listener.js';
import { GetUserHandler } from './application/queries/get-user/get-user.handler.js';
import { ListUsersHandler } from './application/queries/list-users/list-users.handler.js';
import { SendWelcomeEmailTask } from './application/tasks/send-welcome-email.task.js';
import { SummariseUsersTask } from './application/tasks/summarise-users.task.js';
import { UserProfileRepository } from './domain/user-profile.repository.js';
import { UserRepository } from './domain/user.repository.js';
import { TypeOrmUserProfileRepository } from './infrastructure/typeorm-user-profile.repository.js';
import { TypeOrmUserRepository } from './infrastructure/typeorm-user.repository.js';
import { UserProfileOrmEntity } from './infrastructure/user-profile.orm-entity.js';
import { UserOrmEntity } from './infrastructure/user.orm-entity.js';
import { UsersV2Controller } from './http/users-v2.controller.js';
import { UsersController } from './http/users.controller.js';

const commandHandlers = [
  RegisterUserHandler,
  UpdateUserHandler,
  DeleteUserHandler,
  ChangeUserRoleHandler,
  VerifyUserEmailHandler,
];
const queryHandlers = [GetUserHandler, ListUsersHandler, FindUserByEmailHandler];
const listeners = [CreateProfileListener, QueueWelcomeEmailListener];
const taskTypes = [SendWelcomeEmailTask, SummariseUsersTask];
const adapters = [
  { provide: UserRepository, useClass: TypeOrmUserRepository },
  { provide: UserProfileRepository, useClass: TypeOrmUserProfileRepository },
  { provide: Clock, useClass: SystemClock },
];

/**
 * Users: registration and profile of the people using the API. Other modules learn about
 * users only through the integration events in `users.contracts.ts`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([UserOrmEntity, UserProfileOrmEntity])],
  controllers: [UsersController, UsersV2Controller],
  providers: [...commandHandlers, ...queryHandlers, ...listeners, ...taskTypes, ...adapters],
})
export class UsersModule {}
