package com.vivesphere.mq.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads one sample from an application's Prometheus endpoint. */
public final class MetricsScrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private MetricsScrape() {
    }

    /**
     * The value of the sample whose name and labels start with {@code series}, e.g.
     * {@code vivesphere_messages_acked_total{queue="log_queue"}}; 0 when the series does not exist yet.
     */
    public static double value(int port, String series) {
        String prefix = series.endsWith("}") ? series.substring(0, series.length() - 1) : series;
        for (String line : scrape(port).split("\n")) {
            if (line.startsWith(prefix) && (line.charAt(prefix.length()) == ' ' || line.charAt(prefix.length()) == ','
                    || line.charAt(prefix.length()) == '}')) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    public static String scrape(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
