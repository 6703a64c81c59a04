package io.cvimport.logging;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * Keeps stdout for the answer of the commands that scripts read ({@code --status},
 * {@code --plan}, {@code --report-of}): from the application's first event on, whatever
 * writes to {@code System.out} (the console log above all) writes to stderr, and only
 * {@link #answer()} reaches the real stdout. Logback's console appender looks
 * {@code System.out} up at each write, so the swap holds for the log configured later. It
 * holds until the process ends, so that the lines of the context's shutdown go to stderr
 * too. Registered in {@code META-INF/spring.factories}.
 */
public final class AnswerOnStdout implements ApplicationListener<ApplicationStartingEvent> {

    private static final List<String> ANSWERING = List.of("--status", "--plan", "--report-of");

    private static volatile @Nullable PrintStream stdout;

    @Override
    public void onApplicationEvent(ApplicationStartingEvent event) {
        if (answers(event.getArgs())) {
            swap();
        }
    }

    /** Where a command's answer goes: the real stdout. */
    public static PrintStream answer() {
        PrintStream real = stdout;
        return real != null ? real : System.out;
    }

    private static boolean answers(String[] args) {
        return Arrays.stream(args).anyMatch(arg -> ANSWERING.stream()
                .anyMatch(option -> arg.equals(option) || arg.startsWith(option + "=")));
    }

    private static synchronized void swap() {
        if (stdout == null) {
            stdout = System.out;
            System.setOut(System.err);
        }
    }
}
