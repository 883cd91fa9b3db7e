package dev.meterstream.infra.dev;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration keys set for one run of the stack ({@code --set key=value}, repeatable): every service gets each as
 * a system property, which its configuration reads before its defaults files, so a test or an operator can
 * shrink a window or change a limit without editing files. A key a service does not read is ignored by it.
 */
public record ConfigOverrides(Map<String, String> values) {
    public static final ConfigOverrides NONE = new ConfigOverrides(Map.of());

    public ConfigOverrides {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** This set of overrides plus one {@code key=value}, as given to {@code --set}. */
    public ConfigOverrides with(final String assignment) {
        final int equals = assignment.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("--set takes key=value (e.g. --set processor.dedupe-hot-window=PT5S), "
                    + "was '" + assignment + "'");
        }
        final String key = assignment.substring(0, equals).trim();
        if (!key.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--set: a configuration key is letters, digits, '.', '-' and '_', "
                    + "was '" + key + "'");
        }
        final Map<String, String> all = new LinkedHashMap<>(values);
        all.put(key, assignment.substring(equals + 1));
        return new ConfigOverrides(all);
    }

    /** As JVM arguments, to come after the stack's own so that they win. */
    public List<String> jvmArgs() {
        final List<String> args = new ArrayList<>();
        values.forEach((key, value) -> args.add("-D" + key + "=" + value));
        return args;
    }
}
