package org.fathom.flink;

/** One result for a Kafka topic: the topic, the key and the JSON value. */
public class Out {
    public String topic;
    public String key;
    public String value;

    public Out() {
    }

    public Out(String topic, String key, String value) {
        this.topic = topic;
        this.key = key;
        this.value = value;
    }

    @Override
    public String toString() {
        return topic + " " + key + " " + value;
    }
}
