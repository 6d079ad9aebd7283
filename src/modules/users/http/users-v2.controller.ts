import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OwnerOrAdmin, RequireRole } from '../../../infrastructure/auth/access-policy.js';
import { CurrentPrincipal, type Principal } from '../../../infrastructure/auth/principal.js';
import { ApiProblem } from '../../../infrastructure/http/api-problem.decorator.js';
import { ParseIdPipe } from '../../../infrastructure/http/parse-id.pipe.js';
import { ETAG_RESPONSE_HEADER, etagOf } from '../../../infrastructure/http/etag.js';
import { GetUserQuery } from '../application/queries/get-user/get-user.query.js';
import { ListUsersRequest } from './dto/list-users.request.dto.js';
import { USER_ID } from './dto/user-fields.js';
import { UserPageV2Response, UserV2Response } from './dto/user-v2.response.dto.js';
import { assertMayAccessUser } from './user-access.js';

/**
 * Users, version 2: the same queries as v1, a richer representation. Writes have no v2 yet:
 * they stay on v1, whose bodies did not change. The same access as v1: a user reads itself,
 * admins read and list everyone.
 */
@ApiTags('users')
@OwnerOrAdmin('user')
@Controller({ path: 'users', version: '2' })
export class UsersV2Controller {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @RequireRole('admin')
  @ApiOkResponse({ type: UserPageV2Response })
  @ApiProblem(400, 'Invalid query parameter')
  async list(@Query() query: ListUsersRequest): Promise<UserPageV2Response> {
    const page = await this.queries.execute(query.toQuery());
    const link = (cursor?: string) => ({ href: `/v2/users?${pageQuery(query, cursor)}` });
    return {
      items: page.users.map(UserV2Response.from),
      _links: { self: link(query.cursor), ...(page.nextCursor && { next: link(page.nextCursor) }) },
    };
  }

  @Get(':id')
  @ApiParam(USER_ID)
  @ApiOkResponse({ type: UserV2Response, headers: ETAG_RESPONSE_HEADER })
  @ApiProblem(400, 'The id is not a UUID')
  @ApiProblem(404, 'USERS.NOT_FOUND (also for a user other than the caller, unless the caller is an admin)')
  async get(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserV2Response> {
    assertMayAccessUser(principal, id);
    const user = await this.queries.execute(new GetUserQuery(id));
    void reply.header('etag', etagOf(user.version));
    return UserV2Response.from(user);
  }
}

function pageQuery(query: ListUsersRequest, cursor: string | undefined): string {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.email !== undefined) params.set('email', query.email);
  if (query.q !== undefined) params.set('q', query.q);
  if (cursor !== undefined) params.set('cursor', cursor);
  return params.toString();
}
