package com.vivesphere.mq.cli;

/** The exit codes of every mqctl command (also listed in {@code mqctl --help}). */
public final class ExitCodes {

    public static final int OK = 0;
    /** The command ran, and its answer is "no": differences found, messages left, a question declined. */
    public static final int FAILED = 1;
    /** Wrong options or arguments (picocli's own usage-error code). */
    public static final int USAGE = 2;
    /** The broker or its management API could not be reached. */
    public static final int UNREACHABLE = 3;
    /** The broker refused the credentials, or the user has no access to the vhost or resource. */
    public static final int ACCESS_REFUSED = 4;
    /** A vhost, queue, exchange or dead letter does not exist. */
    public static final int NOT_FOUND = 5;
    /** The broker refused the operation: a queue exists with other arguments, a message was unroutable or nacked. */
    public static final int REFUSED = 6;

    public static final String HELP_SECTION = """
            Exit codes:
              0  success
              1  done, but the answer is no (differences, messages left, declined)
              2  usage error
              3  broker or management API unreachable
              4  credentials refused or no access
              5  vhost, queue or message not found
              6  broker refused (topology mismatch, unroutable or nacked message)
            """;

    private ExitCodes() {
    }
}
