package io.cvimport.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.core.JmsTemplate;

/**
 * The manager's embedded broker over real sockets: a client without the broker's password
 * (or with a wrong one, or without TLS where TLS is on) is refused; a worker given the
 * password (and the trust store) is served the manager's partition requests. A broker that
 * other hosts could reach is refused at start without credentials.
 */
class BrokerAccessTest {

    private static final String PASSWORD = "broker-secret-4f1c";
    private static final String STORE_PASSWORD = "store-secret-9a2e";

    @TempDir
    static Path stores;

    @Configuration(proxyBeanMethods = false)
    @ConfigurationPropertiesScan("io.cvimport.scale")
    static class Properties {
    }

    private static ApplicationContextRunner role(String... properties) {
        return new ApplicationContextRunner().withUserConfiguration(Properties.class, BrokerConnection.class)
                .withPropertyValues(properties);
    }

    @BeforeAll
    static void certificates() throws Exception {
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", stores.resolve("broker.p12").toString(), "-storepass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", stores.resolve("broker.p12").toString(),
                "-storepass", STORE_PASSWORD, "-file", stores.resolve("broker.crt").toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", stores.resolve("broker.crt").toString(),
                "-storetype", "PKCS12", "-keystore", stores.resolve("trust.p12").toString(),
                "-storepass", STORE_PASSWORD);
    }

    @Test
    void aBrokerOnEveryInterfaceRefusesAClientWithoutThePasswordAndServesAWorkerWithIt() throws Exception {
        int port = freePort();
        role("scale.role=manager", "scale.broker=embedded", "scale.broker-host=0.0.0.0", "scale.broker-port=" + port,
                "spring.artemis.user=cvimport", "spring.artemis.password=" + PASSWORD).run(manager -> {
                    assertThat(manager).hasNotFailed();
                    String url = "tcp://127.0.0.1:" + port;
                    assertRefused(new ActiveMQConnectionFactory(url));
                    assertRefused(new ActiveMQConnectionFactory(url, "cvimport", "not-" + PASSWORD));
                    role("scale.role=worker", "spring.artemis.broker-url=" + url, "spring.artemis.user=cvimport",
                            "spring.artemis.password=" + PASSWORD).run(worker -> assertServed(
                                    manager.getBean(ConnectionFactory.class), worker.getBean(ConnectionFactory.class)));
                });
    }

    @Test
    void overTlsAWorkerTrustingTheBrokersCertificateIsServedAndAPlainClientIsNot() throws Exception {
        int port = freePort();
        role("scale.role=manager", "scale.broker=embedded", "scale.broker-port=" + port,
                "spring.artemis.user=cvimport", "spring.artemis.password=" + PASSWORD,
                "scale.broker-tls.enabled=true", "scale.broker-tls.key-store=" + stores.resolve("broker.p12"),
                "scale.broker-tls.key-store-password=" + STORE_PASSWORD).run(manager -> {
                    assertThat(manager).hasNotFailed();
                    String url = "tcp://127.0.0.1:" + port;
                    // The password is right, but would cross the network in clear: no TLS, no answer.
                    assertRefused(new ActiveMQConnectionFactory(url, "cvimport", PASSWORD), JMSException.class);
                    // TLS with the JVM's own trust: the broker's certificate is not among it.
                    assertRefused(new ActiveMQConnectionFactory(url + "?sslEnabled=true", "cvimport", PASSWORD),
                            JMSException.class);
                    role("scale.role=worker", "spring.artemis.broker-url=" + url, "spring.artemis.user=cvimport",
                            "spring.artemis.password=" + PASSWORD, "scale.broker-tls.enabled=true",
                            "scale.broker-tls.trust-store=" + stores.resolve("trust.p12"),
                            "scale.broker-tls.trust-store-password=" + STORE_PASSWORD).run(worker -> assertServed(
                                    manager.getBean(ConnectionFactory.class), worker.getBean(ConnectionFactory.class)));
                });
    }

    @Test
    void aBrokerOtherHostsCouldReachDoesNotStartWithoutCredentials() {
        role("scale.role=manager", "scale.broker=embedded", "scale.broker-host=0.0.0.0",
                "scale.broker-port=" + freePort()).run(manager -> assertThat(manager).getFailure()
                        .rootCause().hasMessageContaining("SPRING_ARTEMIS_PASSWORD"));
    }

    @Test
    void onLoopbackWithoutCredentialsTheBrokerServesThisHostAsBefore() {
        int port = freePort();
        role("scale.role=manager", "scale.broker=embedded", "scale.broker-port=" + port).run(manager ->
                role("scale.role=worker", "spring.artemis.broker-url=tcp://127.0.0.1:" + port).run(worker ->
                        assertServed(manager.getBean(ConnectionFactory.class), worker.getBean(ConnectionFactory.class))));
    }

    /** Refused for its credentials: the broker said so. */
    private static void assertRefused(ActiveMQConnectionFactory client) {
        assertRefused(client, JMSSecurityException.class);
    }

    private static void assertRefused(ActiveMQConnectionFactory client, Class<? extends JMSException> refusal) {
        // A plain client at a TLS acceptor waits for an answer that never comes: not 30 s of it.
        client.setCallTimeout(3_000);
        try (client) {
            assertThatThrownBy(() -> {
                try (Connection connection = client.createConnection()) {
                    connection.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
                }
            }).isInstanceOf(refusal);
        }
    }

    /** A partition request the manager sends reaches the worker's consumer. */
    private static void assertServed(ConnectionFactory manager, ConnectionFactory worker) throws JMSException {
        new JmsTemplate(manager).convertAndSend(PartitionRequests.QUEUE, "import:7");
        try (Connection connection = worker.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(PartitionRequests.QUEUE));
            Message received = consumer.receive(TimeUnit.SECONDS.toMillis(10));
            assertThat(received).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) received).getText()).isEqualTo("import:7");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
