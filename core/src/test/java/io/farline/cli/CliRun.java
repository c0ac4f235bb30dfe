package io.farline.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FarlineMain#run} in this JVM with its standard output and error captured.
 *
 * @param exitCode what it returned.
 * @param out      what it printed on standard output.
 * @param err      what it printed on standard error.
 */
record CliRun(int exitCode, String out, String err)
{
    /**
     * Runs a command. Not thread-safe: it swaps {@link System#out} and {@link System#err} while the command runs.
     *
     * @param args the command and its options.
     * @return what it returned and printed.
     */
    static CliRun of(final String... args)
    {
        final PrintStream stdout = System.out;
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode;
        try
        {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exitCode = FarlineMain.run(args);
        }
        finally
        {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new CliRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Asserts that the command was refused the way bad input should be: the exit code, one line on standard error
     * that starts as expected, no stack trace, nothing on standard output.
     */
    void assertRefused(final int expectedExitCode, final String expectedStart)
    {
        final String what = "exit " + exitCode + ", out: " + out + ", err: " + err;
        assertEquals(expectedExitCode, exitCode, what);
        assertTrue(err.startsWith(expectedStart), what);
        assertEquals(1, err.lines().count(), "one line on standard error; " + what);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace; " + what);
        assertEquals("", out, what);
    }
}
