package io.cvimport.input;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.cvimport.customvision.Fingerprint;
import io.cvimport.customvision.Region;

/**
 * What a row imports, by fingerprint: exactly-once, DUPLICATE and ALREADY_IMPORTED are
 * keyed on it with the target's resource. A token row imports its token. A source row
 * imports its source project, whatever token an export mints for it: the project's id
 * with its source region, not the source key or endpoint, so that a rotated key or another
 * endpoint of the same resource names the same project (a project id is unique in the service).
 */
public final class RowIdentity {

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private RowIdentity() {
    }

    /** The row's identity fingerprint; for a source row, only once its region and project id are valid. */
    public static String of(InputRow row) {
        if (!row.token().isEmpty() || !row.source().named()) {
            return Fingerprint.of(row.token());
        }
        Optional<Region> region = Region.find(row.source().region());
        return ofSourceProject(region.map(Region::apiName).orElse(row.source().region()), row.source().projectId());
    }

    /** The identity of a row naming this project of a source resource in this region (its API name). */
    public static String ofSourceProject(String sourceRegion, String projectId) {
        return Fingerprint.of("source-project\n" + sourceRegion + "\n" + projectId.toLowerCase(Locale.ROOT));
    }

    static boolean isGuid(String projectId) {
        return GUID.matcher(projectId).matches();
    }
}
