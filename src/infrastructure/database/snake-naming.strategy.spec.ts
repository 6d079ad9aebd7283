import { SnakeNamingStrategy } from './snake-naming.strategy.js';

describe('SnakeNamingStrategy', () => {
  const naming = new SnakeNamingStrategy();

  it.each([
    ['UserProfile', 'user_profile'],
    ['HTTPRequestLog', 'http_request_log'],
    ['Task', 'task'],
  ])('names the table of %s as %s', (className, table) => {
    expect(naming.tableName(className, undefined)).toBe(table);
  });

  it('keeps an explicit table name', () => {
    expect(naming.tableName('UserProfile', 'profiles')).toBe('profiles');
  });

  it('names columns in snake_case, with embedded prefixes', () => {
    expect(naming.columnName('createdAt', undefined, [])).toBe('created_at');
    expect(naming.columnName('street', undefined, ['homeAddress'])).toBe('home_address_street');
    expect(naming.columnName('createdAt', 'made_at', [])).toBe('made_at');
  });

  it('names join columns after the relation and the referenced column', () => {
    expect(naming.joinColumnName('owner', 'id')).toBe('owner_id');
  });
});
