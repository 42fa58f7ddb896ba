package com.vivesphere.mq.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import com.vivesphere.mq.common.broker.CertificateValidity;
import com.vivesphere.mq.common.topology.TopologyMismatchException;

/** Turns what the RabbitMQ client throws into a message an operator can act on, with its exit code. */
public final class Failures {

    private Failures() {
    }

    /** @param where the broker, as {@code host:port vhost v} (never the credentials) */
    public static CliException explain(Throwable failure, String where) {
        if (failure instanceof CliException cli) {
            return cli;
        }
        if (failure instanceof TopologyMismatchException mismatch) {
            return new CliException(ExitCodes.REFUSED, mismatch.getMessage(), failure);
        }
        if (failure instanceof AuthenticationFailureException || failure instanceof PossibleAuthenticationFailureException) {
            return new CliException(ExitCodes.ACCESS_REFUSED, "RabbitMQ at " + where + " refused the credentials "
                    + "(check RABBITMQ_USERNAME / RABBITMQ_PASSWORD or --username / --password)", failure);
        }
        Optional<CliException> tls = tls(failure, "RabbitMQ at " + where);
        if (tls.isPresent()) {
            return tls.get();
        }
        ShutdownSignalException signal = signalIn(failure);
        if (signal != null) {
            return fromSignal(signal, where);
        }
        Throwable root = rootCause(failure);
        if (root instanceof ConnectException || root instanceof NoRouteToHostException
                || root instanceof UnknownHostException || root instanceof SocketTimeoutException
                || root instanceof TimeoutException) {
            return new CliException(ExitCodes.UNREACHABLE, "cannot reach RabbitMQ at " + where + ": " + describe(root)
                    + " (check RABBITMQ_HOST / RABBITMQ_PORT / RABBITMQ_ADDRESSES or --host / --port)", failure);
        }
        if (failure instanceof IOException) {
            return new CliException(ExitCodes.REFUSED, "RabbitMQ at " + where + ": " + describe(failure), failure);
        }
        return new CliException(ExitCodes.FAILED, describe(failure), failure);
    }

    /**
     * A TLS handshake that failed on the server's certificate, said plainly (the TLS stack's message hides it in a
     * cause): not trusted, not naming the host, or out of its validity period (in the apps' words).
     *
     * @param peer who presented the certificate: {@code RabbitMQ at <where>}, {@code the management API at <url>}
     */
    public static Optional<CliException> tls(Throwable failure, String peer) {
        Optional<String> validity = CertificateValidity.reason(failure);
        if (validity.isPresent()) {
            return Optional.of(new CliException(ExitCodes.UNREACHABLE, "TLS to " + peer + " failed: " + validity.get(), failure));
        }
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof CertPathBuilderException) {
                return Optional.of(new CliException(ExitCodes.UNREACHABLE, "the certificate of " + peer + " is not trusted: "
                        + "no CA of --tls-ca (RABBITMQ_TLS_CA_FILE; without one, the JVM's trust store) signed it", failure));
            }
            if (cause instanceof CertificateException && cause.getMessage() != null
                    && (cause.getMessage().startsWith("No subject alternative") || cause.getMessage().startsWith("No name matching"))) {
                return Optional.of(new CliException(ExitCodes.UNREACHABLE, "the certificate of " + peer + " does not name the "
                        + "host connected to (" + cause.getMessage() + "): connect by a name it gives, or "
                        + "--no-tls-hostname-verification", failure));
            }
        }
        return Optional.empty();
    }

    private static CliException fromSignal(ShutdownSignalException signal, String where) {
        int code;
        String text;
        if (signal.getReason() instanceof AMQP.Channel.Close close) {
            code = close.getReplyCode();
            text = close.getReplyText();
        } else if (signal.getReason() instanceof AMQP.Connection.Close close) {
            code = close.getReplyCode();
            text = close.getReplyText();
        } else {
            return new CliException(ExitCodes.UNREACHABLE, "lost the connection to RabbitMQ at " + where + ": "
                    + signal.getMessage(), signal);
        }
        return switch (code) {
            case AMQP.NOT_FOUND -> new CliException(ExitCodes.NOT_FOUND, "not found at " + where + ": " + text, signal);
            case AMQP.ACCESS_REFUSED -> new CliException(ExitCodes.ACCESS_REFUSED, "access refused at " + where + ": " + text,
                    signal);
            // RabbitMQ answers NOT_ALLOWED when the vhost does not exist or the user may not use it.
            case AMQP.NOT_ALLOWED -> new CliException(ExitCodes.NOT_FOUND, "RabbitMQ at " + where + " does not let this "
                    + "user in: " + text + " (does the vhost exist, and may the user use it? --vhost / RABBITMQ_VHOST)", signal);
            default -> new CliException(ExitCodes.REFUSED, "RabbitMQ at " + where + " refused: " + text, signal);
        };
    }

    private static ShutdownSignalException signalIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException signal) {
                return signal;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
