package dev.meterstream.event;

import java.time.Duration;

/**
 * The limits an event must respect, shared by the edge (which rejects) and the processor (which windows): the
 * lateness horizon in particular must be the same in both, or the processor would drop what the edge accepted.
 *
 * @param latenessHorizon     oldest event time accepted, relative to the time received
 * @param futureTolerance     how far past the time received an event time may lie (clock skew)
 * @param maxIdLength         longest client id
 * @param maxSubjectLength    longest subject
 * @param maxMeterLength      longest meter slug
 * @param maxProperties       most properties per event
 * @param maxPropertyKeyLength   longest property key
 * @param maxPropertyValueLength longest property value
 */
public record EventRules(
        Duration latenessHorizon,
        Duration futureTolerance,
        int maxIdLength,
        int maxSubjectLength,
        int maxMeterLength,
        int maxProperties,
        int maxPropertyKeyLength,
        int maxPropertyValueLength) {

    public static final Duration DEFAULT_LATENESS_HORIZON = Duration.ofDays(35);
    public static final Duration DEFAULT_FUTURE_TOLERANCE = Duration.ofMinutes(5);

    public static final EventRules DEFAULTS = new EventRules(DEFAULT_LATENESS_HORIZON, DEFAULT_FUTURE_TOLERANCE,
            128, 256, 64, 32, 64, 256);

    public EventRules {
        if (latenessHorizon.isNegative() || latenessHorizon.isZero()) {
            throw new IllegalArgumentException("lateness-horizon must be positive, was " + latenessHorizon);
        }
        if (futureTolerance.isNegative()) {
            throw new IllegalArgumentException("future-tolerance must not be negative, was " + futureTolerance);
        }
        positive("max-id-length", maxIdLength);
        positive("max-subject-length", maxSubjectLength);
        positive("max-meter-length", maxMeterLength);
        positive("max-property-key-length", maxPropertyKeyLength);
        positive("max-property-value-length", maxPropertyValueLength);
        if (maxProperties < 0) {
            throw new IllegalArgumentException("max-properties must not be negative, was " + maxProperties);
        }
    }

    private static void positive(final String key, final int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, was " + value);
        }
    }

    public EventRules withLatenessHorizon(final Duration value) {
        return new EventRules(value, futureTolerance, maxIdLength, maxSubjectLength, maxMeterLength, maxProperties,
                maxPropertyKeyLength, maxPropertyValueLength);
    }
}
