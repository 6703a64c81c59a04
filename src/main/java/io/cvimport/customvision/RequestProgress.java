package io.cvimport.customvision;

import java.io.IOException;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Records in each call's context how far it got on the wire. HttpClient's connect element
 * opens the connection, does the TLS handshake (trust, host name) and any proxy tunnel;
 * only after it does a request byte leave. A failure seen before that point proves that
 * the service received nothing, whatever the exception's type.
 */
final class RequestProgress implements ExecChainHandler {

    private static final String TRACKED = "cvimport.request.tracked";
    private static final String STARTED = "cvimport.request.started";

    private final String mark;

    private RequestProgress(String mark) {
        this.mark = mark;
    }

    /** Installs the marks around the connect element. */
    static HttpClientBuilder install(HttpClientBuilder builder) {
        return builder.addExecInterceptorBefore(ChainElement.CONNECT.name(), TRACKED, new RequestProgress(TRACKED))
                .addExecInterceptorAfter(ChainElement.CONNECT.name(), STARTED, new RequestProgress(STARTED));
    }

    /**
     * True only when the call was tracked and failed before its connection was ready: a
     * client built without {@link #install} never claims that nothing was sent.
     */
    static boolean nothingSent(HttpContext context) {
        return context.getAttribute(TRACKED) != null && context.getAttribute(STARTED) == null;
    }

    /** When the connection was ready for the request (our clock), or 0 if it never was. */
    static long startedAt(HttpContext context) {
        return context.getAttribute(STARTED) instanceof Long at ? at : 0;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        scope.clientContext.setAttribute(mark, System.currentTimeMillis());
        return chain.proceed(request, scope);
    }
}
