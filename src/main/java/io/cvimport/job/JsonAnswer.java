package io.cvimport.job;

import java.io.PrintStream;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** An answer for scripts ({@code --format=json}): one JSON document, its field names those of its records. */
final class JsonAnswer {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private JsonAnswer() {
    }

    static void print(PrintStream out, Object answer) {
        out.println(JSON.writeValueAsString(answer));
        out.flush();
    }
}
