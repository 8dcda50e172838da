package org.fathom.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Work with the tamper-evident privacy audit log.",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: fathom audit verify [FILE]");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Checks every entry's hash chain and names the first broken entry.",
                "Exit status: 0 intact, 1 broken, 2 usage error (missing file)."})
    static final class Verify implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "FILE", description = "The audit log (default: the one fathom analyze uses).")
        Path file;

        @Override
        public Integer call() throws IOException {
            Path f = file != null ? file : PrivacyPolicy.defaults().auditLog();
            if (!Files.isRegularFile(f)) {
                throw new UserError(f + ": no such audit log");
            }
            AuditLog.Verification v = AuditLog.verify(f);
            if (v.ok()) {
                System.out.printf("%s: intact, %d entries, head %s%n", f, v.entries(), v.head());
                return Main.EXIT_OK;
            }
            System.out.printf("%s: BROKEN at entry %d (line %d): %s; the %d entries before it verify%n",
                    f, v.brokenEntry(), v.brokenLine(), v.problem(), v.entries());
            return Main.EXIT_PARTIAL;
        }
    }
}
