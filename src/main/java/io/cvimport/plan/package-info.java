/**
 * The pre-flight plan ({@code --plan}): what a run of an input would do, judged as the load
 * step judges and checked against one project listing per target resource, with no import,
 * no export, no run lock and nothing written to the job repository.
 */
@NullMarked
package io.cvimport.plan;

import org.jspecify.annotations.NullMarked;
