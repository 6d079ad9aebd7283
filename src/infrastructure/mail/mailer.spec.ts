import { messageIdFor } from './mailer.js';

describe('messageIdFor', () => {
  it.each([
    ['a display name and an address', 'API <no-reply@example.com>', '<msg-1@example.com>'],
    ['a bare address', 'no-reply@mail.example.org', '<msg-1@mail.example.org>'],
    ['trailing spaces', 'API <no-reply@example.com>  ', '<msg-1@example.com>'],
    ['no domain at all', 'API', '<msg-1@localhost>'],
  ])('takes the domain of the sender from %s', (_, from, expected) => {
    expect(messageIdFor('msg-1', from)).toBe(expected);
  });
});
