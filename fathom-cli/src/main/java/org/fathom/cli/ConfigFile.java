package org.fathom.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.dataformat.yaml.YAMLFactory;

/**
 * {@code --config FILE}: a command's options from a YAML file, one key per option, named as the
 * long option without its dashes ({@code flows-dir: /var/lib/fathom/flows}, {@code workers: 2},
 * {@code interface: [eth0, eth1]}, {@code promiscuous: false}). Options given on the command line
 * override the file's (for options that take several values, the command line's replace the
 * file's). Unknown keys, values of the wrong shape and values the option rejects are one line
 * naming the file, the line and the key (status 2). See docs/OPERATIONS.md ("Config file").
 *
 * <p>The file is turned into command-line arguments placed before the user's, so every option is
 * parsed, converted and checked exactly as when typed.
 */
final class ConfigFile {
    private static final YAMLFactory YAML = new YAMLFactory();

    private ConfigFile() {
    }

    /** The {@code --config} option: read before parsing (see {@link #expand}); a mixin of analyze and live. */
    static final class Option {
        @CommandLine.Option(names = "--config", paramLabel = "FILE", description = "Read options from this YAML file: keys are the long option names without dashes (flows-dir: /var/lib/fathom/flows, interface: [eth0]); options on the command line override it (see docs/OPERATIONS.md).")
        Path config;
    }

    /** One key of the file: its line and its values as command-line words. */
    record Entry(String key, int line, List<String> values, boolean bool) {}

    /**
     * The command line with the options of its {@code --config} file inserted after the
     * subcommand's name; {@code args} unchanged without one.
     *
     * @throws UserError (status 2) naming the file, line and key of a bad entry
     */
    static String[] expand(CommandLine top, String[] args) {
        int sub = -1;
        for (int i = 0; i < args.length; i++) {
            if (top.getSubcommands().containsKey(args[i])) {
                sub = i;
                break;
            }
        }
        if (sub < 0) {
            return args;
        }
        CommandSpec spec = top.getSubcommands().get(args[sub]).getCommandSpec();
        if (spec.findOption("--config") == null) {
            return args;
        }
        Path file = null;
        for (int i = sub + 1; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
            }
        }
        if (file == null) {
            return args;
        }
        // options the user gave on the command line: the file's values for them are left out
        Set<OptionSpec> given = new HashSet<>();
        for (int i = sub + 1; i < args.length && !args[i].equals("--"); i++) {
            String a = args[i];
            if (!a.startsWith("-") || a.equals("-")) {
                continue;
            }
            int eq = a.indexOf('=');
            OptionSpec o = spec.findOption(eq > 0 ? a.substring(0, eq) : a);
            if (o == null && a.startsWith("--no-")) {
                o = spec.findOption("--" + a.substring(5));
            }
            if (o == null && !a.startsWith("--") && a.length() > 2) {
                o = spec.findOption(a.substring(0, 2));   // -w2
            }
            if (o != null) {
                given.add(o);
            }
        }
        List<Entry> entries = read(file);
        List<String> words = new ArrayList<>();
        Map<String, Entry> byOption = new LinkedHashMap<>();
        for (Entry e : entries) {
            OptionSpec o = spec.findOption("--" + e.key());
            if (o == null || o.usageHelp() || o.versionHelp() || e.key().equals("config")) {
                throw new UserError(file + ":" + e.line() + ": unknown key '" + e.key() + "' (keys are the long options of 'fathom "
                        + spec.name() + "' without the dashes, see fathom " + spec.name() + " --help)");
            }
            byOption.put(o.longestName(), e);
            if (given.contains(o)) {
                continue;
            }
            words.addAll(words(file, e, o));
        }
        check(file, spec, words, byOption);
        List<String> out = new ArrayList<>(List.of(args).subList(0, sub + 1));
        out.addAll(words);
        out.addAll(List.of(args).subList(sub + 1, args.length));
        return out.toArray(String[]::new);
    }

    /** The command-line words of one entry. */
    private static List<String> words(Path file, Entry e, OptionSpec o) {
        String name = o.longestName();
        boolean flag = o.arity().max() == 0;
        List<String> w = new ArrayList<>();
        if (flag) {
            if (e.values().size() != 1 || !e.bool()) {
                throw new UserError(file + ":" + e.line() + ": " + e.key() + ": true or false, not " + String.join(", ", e.values()));
            }
            if (Boolean.parseBoolean(e.values().getFirst())) {
                w.add(name);
            } else if (o.negatable()) {
                w.add("--no-" + name.substring(2));
            }
            return w;
        }
        if (e.values().size() > 1 && !o.isMultiValue()) {
            throw new UserError(file + ":" + e.line() + ": " + e.key() + ": one value, not a list");
        }
        for (String v : e.values()) {
            w.add(name + "=" + v);
        }
        return w;
    }

    /** Parses the file's options alone on a fresh command, so a value the option rejects names its line. */
    private static void check(Path file, CommandSpec spec, List<String> words, Map<String, Entry> byOption) {
        Object fresh;
        try {
            fresh = CommandLine.defaultFactory().create(spec.userObject().getClass());
        } catch (Exception e) {
            return;
        }
        try {
            new CommandLine(fresh).parseArgs(words.toArray(String[]::new));
        } catch (CommandLine.MissingParameterException e) {
            // the captures of 'analyze' come from the command line
        } catch (CommandLine.ParameterException e) {
            Entry at = null;
            if (e.getArgSpec() instanceof OptionSpec o) {
                at = byOption.get(o.longestName());
            }
            String m = e.getMessage();
            throw new UserError(file + (at != null ? ":" + at.line() + ": " + at.key() : "") + ": " + m);
        }
    }

    /** The file's keys in order, with their lines and values. */
    static List<Entry> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such config file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserError(file + ": cannot read config file (" + RunOptions.message(e) + ")");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (Reader r = new java.io.StringReader(text); JsonParser p = YAML.createParser(ObjectReadContext.empty(), r)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return entries;   // empty file: no options
            }
            if (t != JsonToken.START_OBJECT) {
                throw new UserError(file + ":" + line(p) + ": expected 'key: value' lines (a YAML mapping)");
            }
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                int line = line(p);
                if (!seen.add(key)) {
                    throw new UserError(file + ":" + line + ": key '" + key + "' given twice");
                }
                t = p.nextToken();
                List<String> values = new ArrayList<>();
                boolean bool = false;
                if (t == JsonToken.START_ARRAY) {
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        values.add(scalar(file, p, key, t));
                    }
                    if (values.isEmpty()) {
                        throw new UserError(file + ":" + line + ": " + key + ": empty list");
                    }
                } else {
                    values.add(scalar(file, p, key, t));
                    bool = t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE;
                }
                entries.add(new Entry(key, line, values, bool));
            }
            if (t != JsonToken.END_OBJECT) {
                throw new UserError(file + ":" + line(p) + ": expected 'key: value' lines (a YAML mapping)");
            }
            if (p.nextToken() != null) {
                throw new UserError(file + ":" + line(p) + ": more than one YAML document");
            }
        } catch (JacksonException e) {
            String m = e.getOriginalMessage();
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new UserError(file + (line > 0 ? ":" + line : "") + ": not valid YAML ("
                    + (m == null ? "syntax" : m.lines().findFirst().orElse(m).strip()) + ")");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read config file (" + RunOptions.message(e) + ")");
        }
        return entries;
    }

    private static String scalar(Path file, JsonParser p, String key, JsonToken t) {
        return switch (t) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getString();
            case VALUE_NULL -> throw new UserError(file + ":" + line(p) + ": " + key + ": no value");
            default -> throw new UserError(file + ":" + line(p) + ": " + key + ": a value or a list of values, not a "
                    + (t == JsonToken.START_OBJECT ? "mapping" : "nested list"));
        };
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
