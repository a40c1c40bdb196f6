package io.flowraft.cli;

/**
 * The exit codes of {@code flowraft}, so scripts can tell "fix your request" from "try again later".
 * <ul>
 *   <li>{@link #OK} 0: done; for {@code cluster status}, a leader is known.</li>
 *   <li>{@link #REJECTED} 1: the coordinator refused the request (a 4xx problem), or an input file or JSON
 *       argument is unreadable; repeating it unchanged will fail again.</li>
 *   <li>{@link #UNAVAILABLE} 2: the coordinator failed (5xx: no leader, outcome unknown, overloaded) or could not
 *       be reached; the same request may succeed later.</li>
 *   <li>{@link #NO_LEADER} 3: {@code cluster status} or {@code cluster check} answered, but the node knows no
 *       leader (an election, or no quorum): unhealthy; also {@code cluster check}'s workflow not completed in
 *       time, and {@code cluster retain-peers} finding no leader in time.</li>
 *   <li>{@link #USAGE} 64: the command line is wrong (unknown option, missing argument); see {@code --help}.</li>
 * </ul>
 */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int REJECTED = 1;
    public static final int UNAVAILABLE = 2;
    public static final int NO_LEADER = 3;
    /** sysexits.h EX_USAGE; picocli's own default (2) would collide with {@link #UNAVAILABLE}. */
    public static final int USAGE = 64;

    private ExitCodes() {
    }

    /** The exit code for an HTTP error status: 4xx means the request is at fault, anything else the server. */
    public static int forStatus(int status) {
        return status >= 400 && status < 500 ? REJECTED : UNAVAILABLE;
    }
}
