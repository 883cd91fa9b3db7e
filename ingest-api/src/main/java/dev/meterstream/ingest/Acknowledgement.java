package dev.meterstream.ingest;

/** Where Kafka stored an accepted event: its partition and offset in the raw topic. */
public record Acknowledgement(int partition, long offset) {
}
