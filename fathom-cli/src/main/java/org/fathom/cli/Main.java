package org.fathom.cli;

import org.fathom.pipeline.AnalysisOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fathom} command. */
@Command(name = "fathom",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Deep packet inspection for network operators, private by construction.",
            "",
            "Exit status: 0 ok; 1 partial input (a capture was damaged or an input in a folder was"
                    + " not a capture; all good records were still written); 2 usage error (bad option,"
                    + " or a named input that is missing or not a capture); 3 an output could not be"
                    + " written (permission, full disk, closed pipe; records already written are whole lines); 130 analyze was stopped by a signal (every record so far written)."
        })
public final class Main implements Runnable {
    /**
     * The commands, made when needed: picocli builds a command's model by reflection over all its
     * options and mixins, so a command line naming one command builds only that one; anything
     * else (no command, --help, --version, a typo) builds all. (A switch, not a map of
     * constructor references: JDK 25.0.3 failed to write its ahead-of-time cache with those.)
     */
    static final String[] COMMANDS = {"analyze", "live", "inline", "audit", "query", "serve", "passwd", "protocols", "help"};

    private static Object command(String name) {
        return switch (name) {
            case "analyze" -> new AnalyzeCommand();
            case "live" -> new LiveCommand();
            case "inline" -> new InlineCommand();
            case "audit" -> new AuditCommand();
            case "query" -> new QueryCommand();
            case "serve" -> new ServeCommand();
            case "passwd" -> new PasswdCommand();
            case "protocols" -> new ProtocolsCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> null;
        };
    }

    /** The top-level command line with the commands {@code args} needs (see {@link #COMMANDS}). */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Object one = args.length > 0 && !args[0].equals("help") ? command(args[0]) : null;
        if (one != null) {
            cl.addSubcommand(args[0], one);
        } else {
            for (String name : COMMANDS) {
                cl.addSubcommand(name, command(name));
            }
        }
        return cl;
    }
    static final int EXIT_OK = 0;
    static final int EXIT_PARTIAL = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_IO = 3;
    /** analyze stopped by a signal (SIGINT, SIGTERM, SIGHUP): the records so far are complete. */
    static final int EXIT_INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed, e.g. fathom analyze CAPTURE");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (no System.exit, for tests). */
    public static int run(String... args) {
        if (args.length > 0 && (args[0].equals("analyze") || args[0].equals("live") || args[0].equals("inline"))) {
            AnalysisOptions.preload();   // the bundled catalogs are read while the options are parsed and outputs opened
        }
        CommandLine cl = commandLine(args);
        cl.setExitCodeExceptionMapper(e -> EXIT_USAGE);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("fathom: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'fathom " + (ex.getCommandLine() == cl ? "" : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UserError u) {
                c.getErr().println("fathom: " + u.getMessage());
                return u.status();
            }
            throw ex;
        });
        String[] expanded;
        try {
            expanded = ConfigFile.expand(cl, args);   // --config FILE: the file's options before the command line's
        } catch (UserError e) {
            cl.getErr().println("fathom: " + e.getMessage());
            cl.getErr().flush();
            return e.status();
        }
        return cl.execute(expanded);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"fathom " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
