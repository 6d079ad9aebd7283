/** What the payload of every integration event carries, whatever else it holds. */
export interface IntegrationEventPayload {
  /**
   * The event's id, the same on every delivery of it. The outbox delivers at least once, so a
   * listener whose effect must happen once keys it on this id (a task's idempotency key).
   */
  eventId: string;
}

/** An integration event as stored in the outbox: its name (`integrationEvent(...)`) and plain-JSON payload. */
export interface OutboxEvent<Payload extends IntegrationEventPayload = IntegrationEventPayload> {
  name: string;
  payload: Payload;
}

/** An unrelayed event a relay pass has claimed. */
export interface ClaimedOutboxEvent extends OutboxEvent {
  id: string;
  /** `X-Request-Id` of the request whose transaction stored the event, if any. */
  requestId: string | null;
  /** Deliveries tried before this one. */
  attempts: number;
}

/** A delivery to try again after `retryInMs`; `error` is a stable code, the details are in the log. */
export interface FailedDelivery {
  id: string;
  relayed: false;
  error: string;
  retryInMs: number;
}

/** What became of one delivery. */
export type DeliveryOutcome = { id: string; relayed: true } | FailedDelivery;
