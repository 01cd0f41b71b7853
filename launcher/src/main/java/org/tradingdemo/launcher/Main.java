package org.tradingdemo.launcher;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;

/**
 * The command line: {@code demo} runs the seed scenario on the in-memory adapters and prints what
 * happened. Exit codes: 0 success, 2 bad usage.
 */
public final class Main {

    static final String USAGE = """
            Usage: java -jar trading-demo.jar [command]

            Commands:
              demo      run the seed scenario on the in-memory adapters and print each step (default)
              --help    show this help
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a command; returns the process exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "demo" : args[0];
        switch (command) {
            case "demo":
                if (args.length > 1) {
                    err.println("demo takes no arguments, got: " + String.join(" ", Arrays.copyOfRange(args, 1, args.length)));
                    return 2;
                }
                new DemoScenario(Clock.systemUTC(), out).run();
                return 0;
            case "--help":
            case "-h":
            case "help":
                out.print(USAGE);
                return 0;
            default:
                err.println("unknown command: " + command);
                err.print(USAGE);
                return 2;
        }
    }
}
