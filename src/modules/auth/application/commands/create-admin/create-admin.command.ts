import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';

export interface CreateAdminResult {
  userId: string;
  email: string;
  /** The account did not exist and was made (an admin from the start). */
  created: boolean;
  /** An existing account was a `user` and is now an `admin`. */
  promoted: boolean;
  passwordSet: boolean;
  /** False for an account made without one (by an admin, through the API): it cannot log in yet. */
  hasPassword: boolean;
  /** Sessions of an existing account ended because its password was replaced. */
  sessionsRevoked: number;
}

/**
 * Makes `email` an admin, creating the account when there is none (then `password` is
 * required). `password` undefined leaves an existing account's password alone; given, it
 * replaces it and ends the account's sessions.
 */
@RequiresHandler()
export class CreateAdminCommand extends Command<CreateAdminResult> {
  constructor(
    readonly email: string,
    readonly name: string,
    readonly password: string | undefined,
  ) {
    super();
  }
}
