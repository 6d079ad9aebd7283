import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated, Public } from '../../../infrastructure/auth/access-policy.js';
import { CurrentPrincipal, type Principal } from '../../../infrastructure/auth/principal.js';
import { ApiProblem } from '../../../infrastructure/http/api-problem.decorator.js';
import { RateLimit } from '../../../infrastructure/http/throttling/rate-limit.decorator.js';
import { ParseIdPipe } from '../../../infrastructure/http/parse-id.pipe.js';
import { GetUserQuery } from '../../users/users.contracts.js';
import type { ClientInfo } from '../application/account.js';
import { ChangePasswordCommand } from '../application/commands/change-password/change-password.command.js';
import { LogInCommand } from '../application/commands/log-in/log-in.command.js';
import { LogOutCommand } from '../application/commands/log-out/log-out.command.js';
import { RefreshSessionCommand } from '../application/commands/refresh-session/refresh-session.command.js';
import { RequestEmailVerificationCommand } from '../application/commands/request-email-verification/request-email-verification.command.js';
import { RequestPasswordResetCommand } from '../application/commands/request-password-reset/request-password-reset.command.js';
import { ResetPasswordCommand } from '../application/commands/reset-password/reset-password.command.js';
import { SignUpCommand } from '../application/commands/sign-up/sign-up.command.js';
import { VerifyEmailCommand } from '../application/commands/verify-email/verify-email.command.js';
import { ListSessionsQuery } from '../application/queries/list-sessions/list-sessions.query.js';
import {
  ChangePasswordRequest,
  EmailVerificationConfirmRequest,
  LogInRequest,
  PasswordResetConfirmRequest,
  PasswordResetRequest,
  RefreshRequest,
  SignUpRequest,
} from './dto/auth.request.dto.js';
import {
  AccountResponse,
  MeResponse,
  SessionListResponse,
  SessionResponse,
  SignUpResponse,
  TokenPairResponse,
} from './dto/auth.response.dto.js';

const clientOf = (request: FastifyRequest): ClientInfo & { ip: string } => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});

/** Identity, version 1: accounts, sessions and tokens. */
@ApiTags('auth')
@Authenticated()
@Controller({ path: 'auth', version: '1' })
export class AuthController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('signup')
  @Public()
  @RateLimit('auth')
  @ApiCreatedResponse({ type: SignUpResponse, description: 'The new user and the token pair of its first session' })
  @ApiProblem(400, 'Invalid body; `errors` names each field')
  @ApiProblem(409, 'USERS.EMAIL_TAKEN')
  @ApiProblem(422, 'AUTH.PASSWORD_REJECTED: too short, too long, too common, or the email itself')
  async signUp(@Body() body: SignUpRequest, @Req() request: FastifyRequest): Promise<SignUpResponse> {
    const { account, tokens } = await this.commands.execute(
      new SignUpCommand(body.email, body.name, body.password, clientOf(request)),
    );
    return { user: AccountResponse.from(account), ...TokenPairResponse.from(tokens) };
  }

  @Post('login')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiProblem(401, 'AUTH.INVALID_CREDENTIALS: unknown email or wrong password (the same answer for both)')
  @ApiProblem(
    429,
    'AUTH.TOO_MANY_FAILURES: too many failed logins for the account or from the address; see Retry-After',
  )
  async logIn(@Body() body: LogInRequest, @Req() request: FastifyRequest): Promise<TokenPairResponse> {
    return TokenPairResponse.from(
      await this.commands.execute(new LogInCommand(body.email, body.password, clientOf(request))),
    );
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairResponse, description: 'A new pair; the refresh token sent stops working' })
  @ApiProblem(401, 'AUTH.REFRESH_INVALID (unknown, expired or revoked) or AUTH.REFRESH_REUSED (session revoked)')
  @ApiProblem(409, 'AUTH.REFRESH_RACE: another request exchanged this token a moment ago; use its pair')
  async refresh(@Body() body: RefreshRequest, @Req() request: FastifyRequest): Promise<TokenPairResponse> {
    return TokenPairResponse.from(
      await this.commands.execute(new RefreshSessionCommand(body.refreshToken, clientOf(request))),
    );
  }

  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: "This token's session is ended" })
  async logOut(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.commands.execute(new LogOutCommand(principal.userId, { current: principal.sessionId }));
  }

  @Post('logout-all')
  @HttpCode(204)
  @ApiNoContentResponse({ description: "Every session of the user is ended, this token's included" })
  async logOutAll(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.commands.execute(new LogOutCommand(principal.userId, { all: true }));
  }

  @Get('sessions')
  @ApiOkResponse({ type: SessionListResponse, description: 'Live sessions, most recently used first' })
  async sessions(@CurrentPrincipal() principal: Principal): Promise<SessionListResponse> {
    const sessions = await this.queries.execute(new ListSessionsQuery(principal.userId));
    return { items: sessions.map((session) => SessionResponse.from(session, principal.sessionId)) };
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid', description: 'A session id from GET /v1/auth/sessions' })
  @ApiNoContentResponse({ description: 'The session is ended' })
  @ApiProblem(404, "AUTH.SESSION_NOT_FOUND: no live session of yours has this id (another user's answers the same)")
  async endSession(@CurrentPrincipal() principal: Principal, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.commands.execute(new LogOutCommand(principal.userId, { sessionId: id }));
  }

  @Get('me')
  @ApiOkResponse({ type: MeResponse })
  async me(@CurrentPrincipal() principal: Principal): Promise<MeResponse> {
    const account = await this.queries.execute(new GetUserQuery(principal.userId));
    return { ...AccountResponse.from(account), sessionId: principal.sessionId };
  }

  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed; every other session of the user is ended' })
  @ApiProblem(403, 'AUTH.CURRENT_PASSWORD_WRONG')
  @ApiProblem(422, 'AUTH.PASSWORD_REJECTED')
  @ApiProblem(429, 'AUTH.TOO_MANY_FAILURES')
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangePasswordRequest,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.commands.execute(
      new ChangePasswordCommand(principal, body.currentPassword, body.newPassword, request.ip),
    );
  }

  @Post('password-reset')
  @Public()
  @RateLimit('auth')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'Always, whether an account has this email or not; if one has, it gets a code' })
  async requestPasswordReset(@Body() body: PasswordResetRequest): Promise<void> {
    await this.commands.execute(new RequestPasswordResetCommand(body.email));
  }

  @Post('password-reset/confirm')
  @Public()
  @RateLimit('auth')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The password is set and every session of the user ended' })
  @ApiProblem(422, 'AUTH.CODE_INVALID (unknown, expired or used code) or AUTH.PASSWORD_REJECTED')
  async confirmPasswordReset(@Body() body: PasswordResetConfirmRequest): Promise<void> {
    await this.commands.execute(new ResetPasswordCommand(body.token, body.password));
  }

  @Post('email-verification')
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: 'A code is on its way to your current address (at most one mail per 5-minute period)',
  })
  async requestEmailVerification(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.commands.execute(new RequestEmailVerificationCommand(principal.userId));
  }

  @Post('email-verification/confirm')
  @Public()
  @RateLimit('auth')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The address is verified' })
  @ApiProblem(422, 'AUTH.CODE_INVALID: unknown, expired or used code, or for an address the user no longer has')
  async confirmEmailVerification(@Body() body: EmailVerificationConfirmRequest): Promise<void> {
    await this.commands.execute(new VerifyEmailCommand(body.token));
  }
}
