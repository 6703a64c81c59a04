package io.cvimport.sources;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the whole source resources of an input mean for the run that follows a finished one. */
public final class WholeResources {

    /** The reason a finished input's next pass gives for listing its whole source resources again. */
    public static final String RELISTED = "whole source resources listed again for projects made since";

    private WholeResources() {
    }

    /**
     * The reasons for a next pass, with the rows naming whole source resources: their
     * resources may hold projects made since the last listing, so a finished input is never done
     * while it has any.
     */
    public static Map<String, Long> relisted(Map<String, Long> reasons, long wholeResources) {
        if (wholeResources == 0) {
            return reasons;
        }
        Map<String, Long> with = new LinkedHashMap<>(reasons);
        with.put(RELISTED, wholeResources);
        return with;
    }
}
