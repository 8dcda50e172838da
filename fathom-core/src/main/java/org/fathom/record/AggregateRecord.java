package org.fathom.record;

/**
 * One published group of aggregate mode: a time bucket, a network segment (the subscriber network,
 * or {@code other} for traffic with no subscriber side), and a protocol/application/category, with
 * its totals. {@code protocol = "*"} rows are the bucket totals; the {@code "(suppressed)"} row
 * sums groups that were too small on their own.
 */
public record AggregateRecord(long bucketStartNanos, long bucketNanos, String segment, String protocol,
                              String application, String category, long subscribers, long flows, long packets,
                              long bytesUp, long bytesDown, boolean noisy) implements ExportRecord {
}
