import { plainToInstance } from 'class-transformer';
import { IsDefined, validate } from 'class-validator';
import { OpenJson } from './json-open-value.js';

class Envelope {
  @IsDefined()
  @OpenJson()
  data: unknown;
}

describe('OpenJson', () => {
  it('hands the parsed value over as it came: the same object, not a copy made key by key', () => {
    const data = { body: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])) };
    const envelope = plainToInstance(Envelope, { data });
    expect(envelope).toBeInstanceOf(Envelope);
    expect(envelope.data).toBe(data);
  });

  it.each([
    ['an array of objects', [{ a: 1 }, [{ b: 2 }]]],
    ['a string', 'text'],
    ['a number', 42],
    ['null', null],
  ])('passes %s through unchanged', (_, data) => {
    expect(plainToInstance(Envelope, { data }).data).toStrictEqual(data);
  });

  it('leaves the property to class-validator like any other', async () => {
    expect(await validate(plainToInstance(Envelope, {}))).toHaveLength(1);
  });
});
