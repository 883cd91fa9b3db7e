package dev.meterstream.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command line as positionals and {@code --name value} options (an option may repeat). Options a command does not
 * know are refused, naming them, so that a typo is not silently a default.
 */
final class Arguments {
    private final List<String> positionals = new ArrayList<>();
    private final Map<String, List<String>> options = new HashMap<>();

    private Arguments() {
    }

    /** {@code args} read against the options that take a value ({@code known}) and those that do not ({@code flags}). */
    static Arguments parse(final List<String> args, final Set<String> known, final Set<String> flags) {
        final Arguments parsed = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            final String arg = args.get(i);
            if (!arg.startsWith("--") || arg.equals("--")) {
                parsed.positionals.add(arg);
                continue;
            }
            final String[] nameValue = arg.substring(2).split("=", 2);
            final String name = nameValue[0];
            if (flags.contains(name)) {
                parsed.options.computeIfAbsent(name, n -> new ArrayList<>()).add("true");
            } else if (known.contains(name)) {
                final String value;
                if (nameValue.length == 2) {
                    value = nameValue[1];
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
                parsed.options.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return parsed;
    }

    List<String> positionals() {
        return positionals;
    }

    Optional<String> option(final String name) {
        final List<String> values = options.get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    List<String> all(final String name) {
        return options.getOrDefault(name, List.of());
    }

    boolean flag(final String name) {
        return options.containsKey(name);
    }

    String required(final String name) {
        return option(name).orElseThrow(() -> new UsageException("--" + name + " is required"));
    }

    int integer(final String name, final int fallback) {
        final Optional<String> value = option(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (final NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, was '" + value.get() + "'");
        }
    }
}
