import { parseArgs } from 'node:util';
import { isEmail } from 'class-validator';

export const USAGE = `Usage: npm run -s users:create-admin -- --email <email> [--name <name>] [--reset-password]

Makes the account with this email an admin, on the configured database (DATABASE_URL, or the
embedded PostgreSQL outside production). An account that does not exist is created, with a
password. An existing one is promoted and keeps its password unless --reset-password is given.

The password is typed at a prompt (twice, not shown) or, when stdin is not a terminal, read
from the first line of stdin:
  printf '%s\\n' "$ADMIN_PASSWORD" | npm run -s users:create-admin -- --email ada@example.com
It is never taken from the command line, where shell history and the process list keep it.

  --email <email>     the account (required)
  --name <name>       the name of a new account (default: made from the email's local part)
  --reset-password    give an existing account a new password, ending its sessions
  --help              this text

Prints one line on success (created or promoted, and the user id) and exits with 0; exits with
1 and says why on stderr otherwise.`;

/** What the command was asked to do; `email` and `name` already checked. */
export interface CreateAdminArgs {
  help: boolean;
  email: string;
  name: string;
  resetPassword: boolean;
}

/** A refusal whose message is the whole story: printed as is, exit code 1. */
export class CliRefusal extends Error {}

/** The rules of sign-up's request body, so the CLI cannot make an account the API would refuse. */
const EMAIL_MAX_LENGTH = 254;
const NAME_MAX_LENGTH = 100;
const CONTROL_CHARACTERS = /\p{Cc}/u;

/** `--password`, `--password=...`, `-p`, `--new-password`...: anything but `--reset-password` that names a password. */
const PASSWORD_OPTION = /^(-p|--(?!reset-password(=|$))[^=]*pass)/i;

export function parseCreateAdminArgs(argv: string[]): CreateAdminArgs {
  if (argv.some((arg) => PASSWORD_OPTION.test(arg)))
    throw new CliRefusal(
      'a password is never taken from the command line (shell history and the process list would keep it): ' +
        'type it at the prompt or pipe it on stdin',
    );
  let values: { email?: string; name?: string; 'reset-password'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        'reset-password': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // Node's own message for a stray argument repeats it, and a stray argument may be a password.
    const code = (error as { code?: string }).code;
    throw new CliRefusal(
      code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
        ? 'unexpected argument: this command takes only the options below'
        : (error as Error).message,
    );
  }
  if (values.help) return { help: true, email: '', name: '', resetPassword: false };
  if (values.email === undefined) throw new CliRefusal('--email is required');
  const email = checkedEmail(values.email);
  return {
    help: false,
    email,
    name: checkedName(values.name ?? nameFromEmail(email)),
    resetPassword: values['reset-password'] ?? false,
  };
}

function checkedEmail(raw: string): string {
  const email = raw.trim();
  if (email.length > EMAIL_MAX_LENGTH || CONTROL_CHARACTERS.test(email) || !isEmail(email, { blacklisted_chars: ' "' }))
    throw new CliRefusal(`--email: ${JSON.stringify(raw)} is not a valid email address`);
  return email;
}

function checkedName(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > NAME_MAX_LENGTH)
    throw new CliRefusal(`--name must be 1 to ${NAME_MAX_LENGTH} characters after trimming`);
  if (CONTROL_CHARACTERS.test(name)) throw new CliRefusal('--name must not contain control characters');
  return name;
}

/** `ada.lovelace+ops@example.com` is "Ada Lovelace": a readable default that the user can change later. */
export function nameFromEmail(email: string): string {
  const local = email.slice(0, email.lastIndexOf('@')).split('+')[0];
  const words = local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return (words.length > 0 ? words.join(' ') : local || 'Admin').slice(0, NAME_MAX_LENGTH);
}
