import { Injectable } from '@nestjs/common';
import type { DestinationStream } from 'pino';

/**
 * Where log lines go. Undefined means stdout (or pino-pretty on a development TTY); tests
 * override this provider with an in-memory stream to assert on the lines.
 */
@Injectable()
export class LogDestination {
  readonly stream?: DestinationStream;
}
