/**
 * What other modules may know about webhooks: the task type that delivers one. Submit it
 * with the tasks module's `SubmitTaskCommand`.
 */
export const WEBHOOKS_DELIVER = 'webhooks.deliver';

/** Payload of {@link WEBHOOKS_DELIVER}. */
export interface DeliverWebhookInput {
  /** http(s) URL of the receiver. Private, loopback and link-local targets are refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true. */
  url: string;
  /** Any JSON value, sent as the request body. */
  body: unknown;
}
