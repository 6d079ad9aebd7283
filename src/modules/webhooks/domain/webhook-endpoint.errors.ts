import { DomainError } from '../../../shared/domain-error.js';

/** No endpoint with this id, or one the caller may not see: the same answer, so ids leak nothing. */
export class WebhookEndpointNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'WEBHOOKS.ENDPOINT_NOT_FOUND';

  constructor(readonly endpointId: string) {
    super(`Webhook endpoint ${endpointId} does not exist`);
  }
}

export class WebhookEndpointLimitError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'WEBHOOKS.ENDPOINT_LIMIT';

  constructor(readonly limit: number) {
    super(`An account may register at most ${limit} webhook endpoints; delete one first`);
  }
}

/** The URL breaks a rule the request DTO cannot know (https required, a reserved address...). */
export class WebhookUrlRefusedError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'WEBHOOKS.URL_REFUSED';
  override readonly field = 'url';

  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}
