import { Clock } from '../../src/shared/clock.js';

/** A clock that says what the test tells it; move it by assigning `at`. */
export class FixedClock extends Clock {
  constructor(public at: Date) {
    super();
  }

  now(): Date {
    return this.at;
  }
}
