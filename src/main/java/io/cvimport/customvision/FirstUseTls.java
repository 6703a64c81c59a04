package io.cvimport.customvision;

import java.io.IOException;
import java.net.Socket;

import javax.net.ssl.SSLSocket;

import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.jspecify.annotations.Nullable;

/**
 * HttpClient's default TLS (the JVM's trust store, the same protocols and checks), made when
 * the first HTTPS connection needs it instead of when the client is built: a run that calls
 * no API (an input already imported, an empty one) does not load the trust store, a fifth of
 * a second of its start.
 */
final class FirstUseTls implements TlsSocketStrategy {

    private volatile @Nullable TlsSocketStrategy strategy;

    @Override
    public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
            throws IOException {
        return strategy().upgrade(socket, target, port, attachment, context);
    }

    private TlsSocketStrategy strategy() {
        TlsSocketStrategy made = strategy;
        if (made == null) {
            synchronized (this) {
                made = strategy;
                if (made == null) {
                    made = DefaultClientTlsStrategy.createDefault();
                    strategy = made;
                }
            }
        }
        return made;
    }
}
