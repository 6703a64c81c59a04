package io.cvimport.customvision;

/**
 * The reads of the Training API v3.2 that tell what a project holds, each answered as a
 * number: the two image counts are bare integers, tags and iterations are lists whose length
 * is the count. Regions have no such read in v3.2 (they come with each image, 50 a page).
 */
public enum ProjectCount {

    TAGGED_IMAGES("GetTaggedImageCount", "images/tagged/count", false),
    UNTAGGED_IMAGES("GetUntaggedImageCount", "images/untagged/count", false),
    TAGS("GetTags", "tags", true),
    ITERATIONS("GetIterations", "iterations", true);

    private final String operation;
    private final String path;
    private final boolean list;

    ProjectCount(String operation, String path, boolean list) {
        this.operation = operation;
        this.path = path;
        this.list = list;
    }

    /** The operation's name in the API reference. */
    public String operation() {
        return operation;
    }

    /** Its path below the project's. */
    String path() {
        return path;
    }

    /** Whether it answers a list (counted) rather than a bare integer. */
    boolean list() {
        return list;
    }
}
