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
        },
        subcommands = {AnalyzeCommand.class, LiveCommand.class, InlineCommand.class, AuditCommand.class, QueryCommand.class, ServeCommand.class, PasswdCommand.class, ProtocolsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
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
        CommandLine cl = new CommandLine(new Main());
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
