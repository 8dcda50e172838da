package org.fathom.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.fathom.web.Users;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "passwd",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a line for an --http-users file: NAME:pbkdf2-sha256:ITERATIONS:SALT:HASH.",
            "",
            "The password is read from the terminal without echo, or as the first line of standard input.",
        },
        footer = {"", "Example: fathom passwd alice >> /etc/fathom/users     (or: printf '%s\\n' \"$PW\" | fathom passwd alice)"})
final class PasswdCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user name (no ':' or white space).")
    String name;

    @Override
    public Integer call() throws IOException {
        String password;
        java.io.Console console = System.console();
        if (console != null) {
            char[] a = console.readPassword("password for %s: ", name);
            char[] b = console.readPassword("again: ");
            if (a == null || b == null || !java.util.Arrays.equals(a, b)) {
                throw new UserError("the passwords differ");
            }
            password = new String(a);
        } else {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        if (password == null || password.isEmpty()) {
            throw new UserError("no password given (type it, or give it as the first line of standard input)");
        }
        try {
            System.out.println(Users.line(name, password));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        return Main.EXIT_OK;
    }
}
