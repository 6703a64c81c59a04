package io.cvimport.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The rule {@link LineStarts} rests on, against the JDK's own decoder: the text that the
 * bytes before a line start decode to is exactly the text before that line, for random
 * and malformed bytes alike.
 */
class LineStartsTest {

    /** Bytes a file may hold, weighted towards what breaks decoders: line ends, leads without their tails. */
    private static final int[] BYTES = {'\n', '\r', 'a', ',', '"', ' ', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F,
            0x98, 0x80, 0xFF, 0xC0, 0xED, 0xA0, 0xF4, 0x90, 0xEF, 0xBB, 0xBF, 0x80, 0xBF, 0xF8};

    @Test
    void everyLineStartOfRandomAndMalformedBytesIsWhereTheJdkDecoderSaysItIs() throws IOException {
        Random random = new Random(20261129);
        int checked = 0;
        for (int round = 0; round < 2500; round++) {
            byte[] bytes = new byte[random.nextInt(round < 2000 ? 64 : 40_000)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : BYTES[random.nextInt(BYTES.length)]);
            }
            String text = decode(bytes);
            LineStarts lines = new LineStarts();
            lines.firstLineAt(0);
            StringBuilder read = new StringBuilder();
            try (Reader reader = lines.text(new InputStreamReader(lines.bytes(new ByteArrayInputStream(bytes)),
                    InputFile.decoder()))) {
                char[] buffer = new char[1 + random.nextInt(100)];
                int n;
                while ((n = reader.read(buffer)) != -1) {
                    read.append(buffer, 0, n);
                }
            }
            assertThat(read.toString()).isEqualTo(text);
            for (int c = 0; c <= text.length(); c++) {
                boolean lineStart = (c == 0 || text.charAt(c - 1) == '\n' || text.charAt(c - 1) == '\r')
                        && c < text.length() && text.charAt(c) != '\n' && text.charAt(c) != '\r';
                // Every line start of the small arrays, a sample of the large ones' (each check decodes it all).
                if (lineStart && (bytes.length < 100 || random.nextInt(200) == 0)) {
                    long b = lines.byteOffset(c);
                    assertThat(decode(Arrays.copyOf(bytes, (int) b))).isEqualTo(text.substring(0, c));
                    assertThat(decode(Arrays.copyOfRange(bytes, (int) b, bytes.length))).isEqualTo(text.substring(c));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(5_000);
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        return InputFile.decoder().decode(ByteBuffer.wrap(bytes)).toString();
    }
}
