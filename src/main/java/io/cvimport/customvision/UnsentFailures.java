package io.cvimport.customvision;

import java.io.IOException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.apache.hc.client5.http.impl.TunnelRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names a failure that happened before any request byte left: the environment's (TLS
 * trust or handshake, DNS, proxy), with what the operator can do about it, or a
 * connection that could not be made (refused, timed out), which is simply retried.
 */
final class UnsentFailures {

    private static final Logger log = LoggerFactory.getLogger(UnsentFailures.class);
    static final String TRUST_REMEDY = "add its CA to a trust store and pass -Djavax.net.ssl.trustStore=FILE"
            + " (and -Djavax.net.ssl.trustStorePassword=... if the store has one) to java";

    private UnsentFailures() {
    }

    static <T> ApiResult.Failed<T> classify(IOException e, String host, CustomVisionClient.Secrets secrets) {
        String detail = secrets.scrub(CustomVisionClient.describe(e));
        log.debug("no request byte left for {}: {}", host, detail);
        if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)
                || has(e, CertificateException.class) || String.valueOf(e.getMessage()).contains("PKIX")) {
            return environment("TlsUntrusted", "the server's certificate is not trusted (PKIX); " + TRUST_REMEDY);
        }
        if (has(e, SSLPeerUnverifiedException.class)) {
            return environment("TlsWrongHost", "the server's certificate does not name " + host
                    + "; use the endpoint's own host name in --customvision.endpoint");
        }
        if (has(e, SSLException.class)) {
            return environment("TlsHandshakeFailed", "the TLS handshake failed; check the endpoint's URL and any"
                    + " TLS-inspecting proxy on the way (its CA may have to be trusted: " + TRUST_REMEDY + ")");
        }
        if (has(e, UnknownHostException.class)) {
            return environment("UnknownHost", "the host " + host + " cannot be resolved (DNS); check the endpoint and"
                    + " this machine's name resolution");
        }
        if (has(e, TunnelRefusedException.class)) {
            return environment("ProxyRefused", "the proxy refused to connect to " + host + "; check the proxy's"
                    + " settings and what it allows");
        }
        return new ApiResult.Failed<>(Failure.RETRYABLE, new ApiError(ApiError.NO_RESPONSE, "ConnectionFailed",
                detail), null);
    }

    private static <T> ApiResult.Failed<T> environment(String code, String causeAndRemedy) {
        return new ApiResult.Failed<>(Failure.ENVIRONMENT, new ApiError(ApiError.NO_RESPONSE, code, causeAndRemedy),
                null);
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
