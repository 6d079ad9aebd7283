/**
 * What other modules may know about webhooks: the task type that delivers one. Submit it
 * with the tasks module's `SubmitTaskCommand`.
 */
export const WEBHOOKS_DELIVER = 'webhooks.deliver';

/** Payload of {@link WEBHOOKS_DELIVER}. */
export interface DeliverWebhookInput {
  /** A webhook endpoint of the submitter (`POST /v1/webhooks/endpoints`); its URL and secret are used. */
  endpointId: string;
  /** Short dotted name of the event (`invoice.paid`), sent as the envelope's `type`. */
  eventType: string;
  /** Any JSON value, sent as the envelope's `data`. */
  payload: unknown;
}
