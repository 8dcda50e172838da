package org.fathom.protocol;

/** A service recognised on top of a protocol ({@code YouTube}, {@code WhatsApp}, ...), with its category. */
public record Service(String name, String category) {
}
