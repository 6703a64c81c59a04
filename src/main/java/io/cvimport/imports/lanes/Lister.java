package io.cvimport.imports.lanes;

import io.cvimport.customvision.TargetResource;

/** What a listing of the lane starts from: the target that lists, and whether the lane knows its resource. */
public record Lister(TargetResource target, boolean identified, int discoveryFailures) {
}
