package io.cvimport.customvision;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CustomVisionProperties.class)
class CustomVisionConfiguration {

    /**
     * A cap above the calls any process makes at once (import.concurrency for each of its
     * import.partitions: 4 partitions of 128 are 512), not a size: connections are opened as
     * calls need them. A call should not wait for a pooled connection: an import waits with
     * its write-ahead made and its resource's send slot held.
     */
    private static final int MAX_CONNECTIONS = 4096;

    @Bean(destroyMethod = "close")
    CloseableHttpClient customVisionHttpClient(CustomVisionProperties properties) {
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setTlsSocketStrategy(new FirstUseTls())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                        .setSocketTimeout(Timeout.of(properties.responseTimeout()))
                        .build())
                .build();
        return RequestProgress.install(HttpClients.custom())
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(properties.responseTimeout()))
                        .setRedirectsEnabled(false)
                        .build())
                // Retries are the job's: HttpClient's own would resend and sleep on the caller's thread.
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .build();
    }

    @Bean
    CustomVisionClient customVisionClient(CloseableHttpClient customVisionHttpClient,
            CustomVisionProperties properties) {
        return new CustomVisionClient(customVisionHttpClient, JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build(),
                // Connect, then the TLS handshake (bounded by the socket timeout), then the answer.
                properties.connectTimeout().plus(properties.responseTimeout().multipliedBy(2)));
    }

    @Bean
    Endpoints endpoints(CustomVisionProperties properties) {
        return properties.toEndpoints();
    }
}
