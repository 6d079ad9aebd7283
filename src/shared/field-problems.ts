import type { ValidationError } from 'class-validator';

/** One invalid input field and what is wrong with it. */
export interface FieldProblems {
  /** Path of the field, dotted for nested fields (`payload.url`). */
  field: string;
  messages: string[];
}

/** class-validator's error tree as one entry per invalid field, nested fields under `parent`. */
export function fieldProblemsOf(errors: ValidationError[], parent = ''): FieldProblems[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...fieldProblemsOf(error.children ?? [], field)];
  });
}
