package io.cvimport.customvision;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The fields of the reference page's Project that the import needs.
 *
 * @param statusText the status as the service sent it, for reports of unknown values
 * @param created    when the service created the project, used to reconcile lost answers
 */
public record Project(String id, String name, ProjectStatus status, String statusText, @Nullable Instant created) {
}
