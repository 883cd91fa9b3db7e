package dev.meterstream.client;

/**
 * An event ingest-api acknowledged: Kafka holds it on every in-sync replica, and it will be counted once, however
 * often it was sent.
 *
 * @param id        the event's id (made by the client if the event had none)
 * @param partition the raw topic's partition that holds it
 * @param offset    its offset there
 */
public record Delivery(String id, int partition, long offset) {
}
