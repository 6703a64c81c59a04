package io.cvimport.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.jspecify.annotations.Nullable;

/**
 * The input CSV: RFC 4180, UTF-8 with or without a BOM, a header naming {@code region},
 * {@code key} and either {@code token} or the source columns ({@code sourceRegion},
 * {@code sourceKey}, {@code projectId}) in any case and order, extra columns carried along.
 */
public final class InputFile {

    public static final List<String> REQUIRED = List.of("token", "region", "key");
    /** The columns that name a source project, instead of {@code token}. */
    public static final List<String> SOURCE = List.of("sourceregion", "sourcekey", "projectid");
    private static final List<String> SOURCE_NAMES = List.of("sourceRegion", "sourceKey", "projectId");

    static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .setAllowMissingColumnNames(true)
            .setIgnoreHeaderCase(true)
            .get();

    private final Path path;
    private final List<String> header;

    private InputFile(Path path, List<String> header) {
        this.path = path;
        this.header = header;
    }

    /**
     * Reads the whole file once, in constant memory, to refuse one that is not CSV (a quote
     * never closed, text after a closing quote, a NUL byte, a header that is not UTF-8 or
     * past {@link InputStructure#MAX_RECORD} characters) with an {@link InputStructureException}
     * naming the line; then opens it. Before a run starts, so that a broken file leaves
     * nothing behind. A data record past the limit whose end can be found is no reason: it is
     * its row's problem, found when the row is read.
     */
    public static InputFile check(Path path) {
        requireReadable(path);
        try (Reader text = text(path, new InputStructure(), null)) {
            char[] buffer = new char[1 << 16];
            while (text.read(buffer) != -1) {
                // the structure checks every character read
            }
        }
        catch (IOException e) {
            throw new InputFormatException("input " + path + " cannot be read: " + e.getClass().getSimpleName());
        }
        return open(path);
    }

    /** Opens the file and checks its header; throws {@link InputFormatException} if unusable. */
    public static InputFile open(Path path) {
        requireReadable(path);
        try (CSVParser parser = parser(path)) {
            List<String> header = parser.getHeaderNames();
            List<String> lower = header.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
            List<String> missing = missing(lower);
            if (!missing.isEmpty()) {
                throw new InputFormatException("input " + path + " has no column " + String.join(", ", missing)
                        + " in its header (needs region, key and either token or "
                        + String.join(", ", SOURCE_NAMES) + ")");
            }
            return new InputFile(path, header);
        }
        catch (IOException | RuntimeException e) {
            if (e instanceof InputFormatException inputFormatException) {
                throw inputFormatException;
            }
            throw new InputFormatException("input " + path + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The required columns the header lacks: region and key, and the token unless the header
     * names source projects (then whichever of the source columns it lacks).
     */
    private static List<String> missing(List<String> header) {
        List<String> missing = new ArrayList<>(REQUIRED.stream().skip(1).filter(r -> !header.contains(r)).toList());
        if (!header.contains("token")) {
            boolean sources = SOURCE.stream().anyMatch(header::contains);
            if (sources) {
                for (int i = 0; i < SOURCE.size(); i++) {
                    if (!header.contains(SOURCE.get(i))) {
                        missing.add(SOURCE_NAMES.get(i));
                    }
                }
            }
            else {
                missing.add(0, "token");
            }
        }
        return missing;
    }

    public Path path() {
        return path;
    }

    /** The names of the columns beyond the ones the job reads, in header order. */
    public List<String> extraColumns() {
        List<String> extras = new ArrayList<>();
        for (String name : header) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            if (!REQUIRED.contains(lower) && !SOURCE.contains(lower)) {
                extras.add(name.trim());
            }
        }
        return extras;
    }

    /** SHA-256 of the file's bytes: part of the job's identity, so an edited file is a new job. */
    public String contentHash() {
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
        catch (IOException e) {
            throw new InputFormatException("input " + path + " cannot be read: " + e.getClass().getSimpleName());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireReadable(Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new InputFormatException("input " + path + " is missing or unreadable");
        }
    }

    /**
     * A parser positioned after the header. Bytes that are not UTF-8 become U+FFFD, flagged per
     * row. It never holds more than one record of at most {@link InputStructure#MAX_RECORD}
     * characters, even if the file changed since {@link #check}: a longer record reaches it
     * cut, and becomes a row that says so.
     */
    static CSVParser parser(Path path) throws IOException {
        return parser(path, new LineStarts());
    }

    /** The same, noting in {@code lines} where each line of the file starts. */
    static CSVParser parser(Path path, LineStarts lines) throws IOException {
        return CSVParser.builder().setReader(text(path, new InputStructure(), lines)).setFormat(FORMAT).get();
    }

    /**
     * The file's text without its BOM, every character of it followed by {@code structure}
     * (records past the limit cut); where each line of that text starts is noted in
     * {@code lines} when given (a check that reads the whole file asks for no line, and would
     * hold them all).
     */
    private static Reader text(Path path, InputStructure structure, @Nullable LineStarts lines) throws IOException {
        InputStream bytes = Files.newInputStream(path);
        PushbackReader reader = new PushbackReader(new InputStreamReader(lines == null ? bytes : lines.bytes(bytes),
                decoder()), 1);
        int first = reader.read();
        if (first != -1 && first != '\uFEFF') {
            reader.unread(first);
        }
        if (lines == null) {
            return new CheckedReader(reader, structure, null);
        }
        lines.firstLineAt(first == '\uFEFF' ? 3 : 0);
        // Lines are noted in the text the parser reads, after a record too long was cut.
        return lines.text(new CheckedReader(reader, structure, lines));
    }

    /** UTF-8, bytes that are not UTF-8 becoming U+FFFD. */
    static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    /** Streams the data records from the first. */
    public RowCursor rows() {
        return new RowCursor(path);
    }
}
