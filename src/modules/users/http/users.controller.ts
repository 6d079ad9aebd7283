import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OwnerOrAdmin, RequireRole } from '../../../infrastructure/auth/access-policy.js';
import { CurrentPrincipal, type Principal } from '../../../infrastructure/auth/principal.js';
import { ApiProblem } from '../../../infrastructure/http/api-problem.decorator.js';
import { ParseIdPipe } from '../../../infrastructure/http/parse-id.pipe.js';
import { ETAG_RESPONSE_HEADER, etagOf, expectedVersionFrom } from '../../../infrastructure/http/etag.js';
import { ChangeUserRoleCommand } from '../application/commands/change-user-role/change-user-role.command.js';
import { DeleteUserCommand } from '../application/commands/delete-user/delete-user.command.js';
import { RegisterUserCommand } from '../application/commands/register-user/register-user.command.js';
import { UpdateUserCommand } from '../application/commands/update-user/update-user.command.js';
import { GetUserQuery } from '../application/queries/get-user/get-user.query.js';
import { ChangeRoleRequest } from './dto/change-role.request.dto.js';
import { ListUsersRequest } from './dto/list-users.request.dto.js';
import { USER_ID } from './dto/user-fields.js';
import { RegisterUserRequest } from './dto/register-user.request.dto.js';
import { UpdateUserRequest } from './dto/update-user.request.dto.js';
import { UserPageResponse, UserResponse } from './dto/user.response.dto.js';
import { assertMayAccessUser } from './user-access.js';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'ETag from a read: the change applies only if the user is still at that version (412 otherwise)',
};

const NOT_FOUND = 'USERS.NOT_FOUND (also for a user other than the caller, unless the caller is an admin)';

/**
 * Users, version 1: DTO in, command or query out, response DTO back. A user reads, changes and
 * deletes itself; admins create, list and manage everyone, and alone change roles.
 */
@ApiTags('users')
@OwnerOrAdmin('user')
@Controller({ path: 'users', version: '1' })
export class UsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** Admins create users for others; people create their own account with `POST /v1/auth/signup`. */
  @Post()
  @RequireRole('admin')
  @ApiCreatedResponse({
    type: UserResponse,
    headers: { Location: { description: 'URL of the new user', schema: { type: 'string' } }, ...ETAG_RESPONSE_HEADER },
  })
  @ApiProblem(400, 'Invalid body; `errors` names each field')
  @ApiProblem(409, 'USERS.EMAIL_TAKEN: the email is in use')
  async register(
    @Body() body: RegisterUserRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserResponse> {
    const user = await this.commands.execute(new RegisterUserCommand(body.email, body.name));
    void reply.header('location', `/v1/users/${user.id}`).header('etag', etagOf(user.version));
    return UserResponse.from(user);
  }

  @Get()
  @RequireRole('admin')
  @ApiOkResponse({ type: UserPageResponse })
  @ApiProblem(400, 'Invalid query parameter (limit over 100, malformed cursor or email...)')
  async list(@Query() query: ListUsersRequest): Promise<UserPageResponse> {
    const page = await this.queries.execute(query.toQuery());
    return { items: page.users.map(UserResponse.from), nextCursor: page.nextCursor ?? null };
  }

  @Get(':id')
  @ApiParam(USER_ID)
  @ApiOkResponse({ type: UserResponse, headers: ETAG_RESPONSE_HEADER })
  @ApiProblem(400, 'The id is not a UUID')
  @ApiProblem(404, NOT_FOUND)
  async get(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserResponse> {
    assertMayAccessUser(principal, id);
    const user = await this.queries.execute(new GetUserQuery(id));
    void reply.header('etag', etagOf(user.version));
    return UserResponse.from(user);
  }

  @Patch(':id')
  @ApiParam(USER_ID)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: UserResponse, headers: ETAG_RESPONSE_HEADER })
  @ApiProblem(400, 'Invalid body or id')
  @ApiProblem(404, NOT_FOUND)
  @ApiProblem(409, 'USERS.EMAIL_TAKEN: the new email is in use')
  @ApiProblem(412, 'USERS.VERSION_MISMATCH: If-Match does not match the current version')
  async update(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: UpdateUserRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserResponse> {
    assertMayAccessUser(principal, id);
    const changes = { email: body.email, name: body.name };
    const user = await this.commands.execute(new UpdateUserCommand(id, changes, expectedVersionFrom(ifMatch)));
    void reply.header('etag', etagOf(user.version));
    return UserResponse.from(user);
  }

  /**
   * The only way a role changes over HTTP (PATCH refuses `role`). The user's sessions end before
   * the answer, so no access token keeps the old role until its refresh.
   */
  @Put(':id/role')
  @RequireRole('admin')
  @ApiParam(USER_ID)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({
    type: UserResponse,
    headers: ETAG_RESPONSE_HEADER,
    description: 'The user with its new role; every session of the user has ended (its tokens answer 401)',
  })
  @ApiProblem(400, 'Invalid body or id')
  @ApiProblem(404, 'USERS.NOT_FOUND')
  @ApiProblem(409, 'USERS.LAST_ADMIN: the user is the only admin')
  @ApiProblem(412, 'USERS.VERSION_MISMATCH: If-Match does not match the current version')
  async changeRole(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: ChangeRoleRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserResponse> {
    const user = await this.commands.execute(new ChangeUserRoleCommand(id, body.role, expectedVersionFrom(ifMatch)));
    void reply.header('etag', etagOf(user.version));
    return UserResponse.from(user);
  }

  @Delete(':id')
  @ApiParam(USER_ID)
  @HttpCode(204)
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(400, 'The id is not a UUID')
  @ApiProblem(404, NOT_FOUND)
  @ApiProblem(409, 'USERS.LAST_ADMIN: the user is the only admin')
  @ApiProblem(412, 'USERS.VERSION_MISMATCH: If-Match does not match the current version')
  async remove(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    assertMayAccessUser(principal, id);
    await this.commands.execute(new DeleteUserCommand(id, expectedVersionFrom(ifMatch)));
  }
}
