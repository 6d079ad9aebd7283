import { CliRefusal, nameFromEmail, parseCreateAdminArgs } from './create-admin.args.js';

describe('parseCreateAdminArgs', () => {
  it('reads --email (trimmed), --name and --reset-password', () => {
    expect(parseCreateAdminArgs(['--email', ' ada@example.com ', '--name', ' Ada ', '--reset-password'])).toEqual({
      help: false,
      email: 'ada@example.com',
      name: 'Ada',
      resetPassword: true,
    });
  });

  it.each([
    [['--password', 'hunter2 horse'], /never taken from the command line/],
    [['--password=hunter2'], /never taken from the command line/],
    [['--new-password', 'x'], /never taken from the command line/],
    [['-p', 'x'], /never taken from the command line/],
    [['--email', 'a@example.com', 'hunter2 horse'], /^unexpected argument/],
    [['--email', 'a@example.com', '--reset-password=yes'], /does not take an argument/],
    [['--emial', 'a@example.com'], /Unknown option '--emial'/],
    [[], /--email is required/],
    [['--email', 'ada@example'], /is not a valid email address/],
    [['--email', '"a b"@example.com'], /is not a valid email address/],
    [['--email', 'a@example.com', '--name', '  '], /--name must be 1 to 100 characters/],
    [['--email', 'a@example.com', '--name', 'A\u0000'], /control characters/],
  ])('refuses %j', (argv, message) => {
    const refusal = (() => {
      try {
        parseCreateAdminArgs(argv);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(CliRefusal);
    expect((refusal as Error).message).toMatch(message);
    expect((refusal as Error).message).not.toContain('hunter2');
  });
});

describe('nameFromEmail', () => {
  it.each([
    ['ada.lovelace+ops@example.com', 'Ada Lovelace'],
    ['grace_hopper@example.com', 'Grace Hopper'],
    ['root@example.com', 'Root'],
    ['+tag@example.com', 'Admin'],
  ])('%s is %s', (email, name) => {
    expect(nameFromEmail(email)).toBe(name);
  });
});
