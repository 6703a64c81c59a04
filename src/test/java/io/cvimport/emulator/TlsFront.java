package io.cvimport.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * https in front of the emulator: terminates TLS on a loopback port and relays each
 * connection to the emulator's plain port, byte for byte. A connection the emulator
 * marks (by the port it sees the relay connect from) is broken the way a failing
 * middlebox breaks it: a record that is not TLS, then a TCP reset, so the client fails
 * with an SSLException while reading the answer.
 */
final class TlsFront implements AutoCloseable {

    private final SSLContext tls;
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Set<Integer> toBreak = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "emulator-tls");
        thread.setDaemon(true);
        return thread;
    });

    TlsFront(SSLContext tls, InetSocketAddress upstream) throws IOException {
        this.tls = tls;
        this.upstream = upstream;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Breaks the client's connection whose relay reached the emulator from this local port. */
    void breakConnectionFrom(int relayPort) {
        toBreak.add(relayPort);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket raw = server.accept();
                threads.execute(() -> relay(raw));
            }
            catch (IOException e) {
                return;
            }
        }
    }

    private void relay(Socket raw) {
        try (raw; SSLSocket client = (SSLSocket) tls.getSocketFactory().createSocket(raw, null, false);
                Socket back = new Socket(upstream.getAddress(), upstream.getPort())) {
            client.setUseClientMode(false);
            client.startHandshake();
            int relayPort = back.getLocalPort();
            threads.execute(() -> pump(client, back));
            try (InputStream in = back.getInputStream()) {
                OutputStream out = client.getOutputStream();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
            if (toBreak.remove(relayPort)) {
                breakAbruptly(raw);
            }
        }
        catch (IOException e) {
            // the client went away, or failed its handshake (an untrusted certificate)
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        }
        catch (IOException e) {
            // either side closed
        }
    }

    /** Garbage where a TLS record should be, then RST instead of a close. */
    private static void breakAbruptly(Socket raw) throws IOException {
        raw.getOutputStream().write(new byte[] { 0x17, 0x03, 0x03, 0x00, 0x10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                12, 13, 14, 15, 16 });
        raw.getOutputStream().flush();
        raw.setSoLinger(true, 0);
        raw.close();
    }

    @Override
    public void close() {
        try {
            server.close();
        }
        catch (IOException e) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
