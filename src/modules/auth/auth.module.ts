import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Clock, SystemClock } from '../../shared/clock.js';
import { ChangePasswordHandler } from './application/commands/change-password/change-password.handler.js';
import { CreateAdminHandler } from './application/commands/create-admin/create-admin.handler.js';
import { LogInHandler } from './application/commands/log-in/log-in.handler.js';
import { LogOutHandler } from './application/commands/log-out/log-out.handler.js';
import { RefreshSessionHandler } from './application/commands/refresh-session/refresh-session.handler.js';
import { RequestEmailVerificationHandler } from './application/commands/request-email-verification/request-email-verification.handler.js';
import { RequestPasswordResetHandler } from './application/commands/request-password-reset/request-password-reset.handler.js';
import { ResetPasswordHandler } from './application/commands/reset-password/reset-password.handler.js';
import { SignUpHandler } from './application/commands/sign-up/sign-up.handler.js';
import { VerifyEmailHandler } from './application/commands/verify-email/verify-email.handler.js';
import { EndSessionsOnRoleChangeListener } from './application/listeners/end-sessions-on-role-change.listener.js';
import { QueueEmailVerificationListener } from './application/listeners/queue-email-verification.listener.js';
import { PasswordGuard } from './application/password-guard.js';
import { ListSessionsHandler } from './application/queries/list-sessions/list-sessions.handler.js';
import { SessionIssuer } from './application/session-issuer.js';
import { AccountMail } from './application/tasks/account-mail.js';
import { SendEmailVerificationTask } from './application/tasks/send-email-verification.task.js';
import { SendPasswordResetTask } from './application/tasks/send-password-reset.task.js';
import { AuthController } from './http/auth.controller.js';
import { AuthenticationGuard } from './http/authentication.guard.js';
import { JwksController } from './http/jwks.controller.js';
import { AccessTokens } from './infrastructure/access-tokens.js';
import { Argon2PasswordHasher } from './infrastructure/argon2-password.hasher.js';
import { AuthRetentionSweep } from './infrastructure/auth-retention.sweep.js';
import { CredentialStore } from './infrastructure/credential.store.js';
import { LoginFailureStore } from './infrastructure/login-failure.store.js';
import { OneTimeTokenStore } from './infrastructure/one-time-token.store.js';
import { RevocationSet } from './infrastructure/revocation-set.js';
import { SessionStore } from './infrastructure/session.store.js';
import { SigningKeys } from './infrastructure/signing-keys.js';

const commandHandlers = [
  SignUpHandler,
  LogInHandler,
  RefreshSessionHandler,
  LogOutHandler,
  ChangePasswordHandler,
  RequestPasswordResetHandler,
  ResetPasswordHandler,
  RequestEmailVerificationHandler,
  VerifyEmailHandler,
  CreateAdminHandler,
];
const queryHandlers = [ListSessionsHandler];
const listeners = [QueueEmailVerificationListener, EndSessionsOnRoleChangeListener];
const taskTypes = [SendPasswordResetTask, SendEmailVerificationTask];
const services = [SessionIssuer, PasswordGuard, AccountMail];
const adapters = [
  SigningKeys,
  AccessTokens,
  RevocationSet,
  Argon2PasswordHasher,
  CredentialStore,
  SessionStore,
  LoginFailureStore,
  OneTimeTokenStore,
  AuthRetentionSweep,
  { provide: Clock, useClass: SystemClock },
];

/**
 * Identity: accounts' passwords, sessions, access and refresh tokens, and the global guard
 * that closes every route not marked `@Public()`. Users are created, read and verified
 * through the users module's contracts; this module owns only credentials and sessions.
 */
@Module({
  controllers: [AuthController, JwksController],
  providers: [
    ...commandHandlers,
    ...queryHandlers,
    ...listeners,
    ...taskTypes,
    ...services,
    ...adapters,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
})
export class AuthModule {}
